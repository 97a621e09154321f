"""Translatable content: one JSON object per field, keyed by language code.

``TranslatedText`` is a ``dict`` that renders as the active language, falling back to
English and then to any language that has text, so templates can write ``{{ obj.title }}``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class TranslatedText(dict[str, str]):
    """Text in several languages; ``str()`` gives the best one for the active language."""

    def get_text(self, language: str | None = None, *, fallback: bool = True) -> str:
        language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        value = self.get(language, "")
        if value or not fallback:
            return value
        for code in [settings.LANGUAGE_CODE, *language_codes(), *self.keys()]:
            if self.get(code):
                return self[code]
        return ""

    def language_of(self, language: str | None = None) -> str:
        """The language code whose text ``get_text`` would show."""
        language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        if self.get(language):
            return language
        for code in [settings.LANGUAGE_CODE, *language_codes(), *self.keys()]:
            if self.get(code):
                return code
        return language

    def __str__(self) -> str:
        return self.get_text()

    def __html__(self) -> str:
        from django.utils.html import conditional_escape

        return str(conditional_escape(self.get_text()))


def to_translated(value: Any) -> TranslatedText:
    if isinstance(value, TranslatedText):
        return value
    if value is None or value == "":
        return TranslatedText()
    if isinstance(value, str):
        return TranslatedText({settings.LANGUAGE_CODE: value})
    if isinstance(value, dict):
        return TranslatedText({str(k): str(v) for k, v in value.items() if v not in (None, "")})
    raise ValidationError(_("Enter text as an object of language codes."))


class TranslatedWidget(forms.MultiWidget):
    template_name = "core/widgets/translated.html"

    def __init__(self, *, multiline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        widget = forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput()
        self.codes = language_codes()
        super().__init__(dict.fromkeys(self.codes, widget), attrs)

    def decompress(self, value: Any) -> list[str]:
        value = to_translated(value) if value else TranslatedText()
        return [value.get(code, "") for code in self.codes]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, sub in zip(self.codes, context["widget"]["subwidgets"], strict=True):
            sub["language_code"] = code
            sub["language_name"] = names[code]
        return context


class TranslatedFormField(forms.MultiValueField):
    def __init__(
        self,
        *,
        multiline: bool = False,
        required: bool = True,
        max_length: int | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        fields = [
            forms.CharField(required=False, max_length=max_length, strip=True)
            for _code in language_codes()
        ]
        self.text_required = required
        super().__init__(
            fields,
            widget=TranslatedWidget(multiline=multiline),
            require_all_fields=False,
            required=False,
            **kwargs,
        )

    def compress(self, data_list: list[str]) -> TranslatedText:
        data_list = data_list or []
        value = TranslatedText(
            {code: text for code, text in zip(language_codes(), data_list, strict=False) if text}
        )
        if self.text_required and not value:
            raise ValidationError(_("Enter the text in at least one language."), code="required")
        return value


class TranslatedField(models.JSONField):
    """A JSON object of language code → text, read back as ``TranslatedText``."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        self.text_max_length = kwargs.pop("text_max_length", None)
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        if self.text_max_length:
            kwargs["text_max_length"] = self.text_max_length
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        value = super().from_db_value(value, expression, connection)
        if isinstance(value, dict):
            return TranslatedText(value)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, dict | str) or value is None:
            return to_translated(value)
        return super().to_python(value)

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if not isinstance(value, dict):
            raise ValidationError(_("Enter text as an object of language codes."))
        unknown = set(value) - set(language_codes())
        if unknown:
            raise ValidationError(
                _("Unknown language code: %(codes)s"), params={"codes": ", ".join(sorted(unknown))}
            )
        if not self.blank and not any(value.values()):
            raise ValidationError(self.error_messages["blank"], code="blank")
        if self.text_max_length:
            for text in value.values():
                if len(text) > self.text_max_length:
                    raise ValidationError(
                        _("Ensure each text has at most %(limit)d characters."),
                        params={"limit": self.text_max_length},
                    )

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return TranslatedFormField(
            multiline=self.multiline,
            required=not self.blank,
            max_length=self.text_max_length,
            label=kwargs.get("label", self.verbose_name),
            help_text=self.help_text,
        )
