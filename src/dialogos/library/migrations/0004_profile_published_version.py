"""The published version of a country profile: which files the public sees, and when the state
was formally given them. Profiles published before this keep what they showed (their current
files, their last submission)."""

from typing import Any

from django.db import migrations, models


def mark_published_versions(apps: Any, schema_editor: Any) -> None:
    CountryProfile = apps.get_model("library", "CountryProfile")
    LibraryFile = apps.get_model("library", "LibraryFile")
    published = CountryProfile.objects.filter(published_at__isnull=False)
    for profile in published.only("pk", "submitted_at"):
        CountryProfile.objects.filter(pk=profile.pk).update(
            published_submission_at=profile.submitted_at
        )
    LibraryFile.objects.filter(profile__in=published, is_current=True).update(is_published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_document_list_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="countryprofile",
            name="published_submission_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="The files the state was given then are the ones the public sees.",
                null=True,
                verbose_name="formal submission of the published version",
            ),
        ),
        migrations.AddField(
            model_name="libraryfile",
            name="is_published",
            field=models.BooleanField(default=False, verbose_name="published version"),
        ),
        migrations.RunPython(mark_published_versions, migrations.RunPython.noop),
    ]
