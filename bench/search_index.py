#!/usr/bin/env python3
"""Index a SYNTHETIC corpus into the search index and report the rate and the index size.

    .venv/bin/python bench/search_index.py --docs 100000 --pages 1000000          # full scale
    .venv/bin/python bench/search_index.py --docs 5000 --pages 50000 --var /tmp/sb
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_search_bench \\
        .venv/bin/python bench/search_index.py --docs 5000 --pages 50000

Every document is synthetic: random text drawn (Zipf-distributed) from a vocabulary of real
English and Russian migration words plus generated pseudo-words, about ``--words-per-page``
words per page, ``pages / docs`` pages per document; roughly half English, a third Russian, the
rest both. Titles say "(synthetic)". The entries are written through the same code path the
worker uses (``search.indexing.write_entries``) under the kind ``benchdoc``; earlier
``benchdoc`` rows are removed first, nothing else is touched.

Without DATABASE_URL a SQLite database in ``--var`` (default: a new temporary directory) is
migrated and used; with it, the given throw-away PostgreSQL database. Embeddings are measured
on a sample (``--embed-sample``), since they run in the worker beside indexing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _words(text: str) -> list[str]:
    return text.split()


EN_WORDS = _words("""migration migrant migrants labour mobility return readmission reintegration asylum
refugee border management visa integration diaspora remittances trafficking smuggling
protection rights workers recruitment skills circular seasonal family reunification irregular
regular pathways legal policy dialogue cooperation ministerial conference senior officials
strategic group thematic component action plan progress report country profile good practice
capacity building training workshop study visit expert meeting secretariat partnership
resource centre data statistics evidence analysis review implementation commitment pillar
indicator funding project partner government ministry interior labour social affairs health
education youth gender children unaccompanied minors vulnerable groups climate displacement
environment development investment employment unemployment wages contract agency employer
""")
RU_WORDS = _words("""миграция мигрант мигранты трудовая мобильность возвращение реадмиссия реинтеграция
убежище беженец граница управление виза интеграция диаспора денежные переводы торговля людьми
незаконный ввоз защита права работники набор навыки циркулярная сезонная семья воссоединение
нерегулярная регулярная законные пути политика диалог сотрудничество министерская конференция
старшие должностные лица стратегическая группа тематический компонент план действий доклад о
ходе страновой профиль успешная практика наращивание потенциала обучение семинар ознакомительный
визит встреча экспертов секретариат партнерство ресурсный центр данные статистика анализ обзор
выполнение обязательство направление показатель финансирование проект партнер правительство
министерство внутренних дел труда социальной защиты здравоохранение образование молодежь
""")
COUNTRIES = _words("AM AZ BY CZ DE GE HU KG KZ LT MD PL RO RU SK TJ TM TR UA UZ AF PK IQ IR")
TOPICS = [f"bench-topic-{n}" for n in range(20)]
LEVELS = ["public"] * 14 + ["members"] * 4 + ["secretariat"] * 2


def pseudo_words(rng: object, alphabet: str, count: int) -> list[str]:
    import numpy as np

    assert isinstance(rng, np.random.Generator)
    letters = np.array(list(alphabet))
    lengths = rng.integers(4, 11, size=count)
    return ["".join(rng.choice(letters, size=int(n))) for n in lengths]


class Corpus:
    """Deterministic synthetic text: the same seed gives the same corpus."""

    def __init__(self, seed: int, vocabulary: int) -> None:
        import numpy as np

        self.rng = np.random.default_rng(seed)
        self.en = np.array(EN_WORDS + pseudo_words(self.rng, "abcdefghiklmnoprstuvw", vocabulary))
        self.ru = np.array(
            RU_WORDS + pseudo_words(self.rng, "абвгдежзиклмнопрстуфхцчшыэюя", vocabulary)
        )

    def words(self, language: str, count: int) -> str:
        vocab = self.en if language == "en" else self.ru
        ranks = self.rng.zipf(1.15, size=count) - 1
        ranks = ranks[ranks < len(vocab)]
        return " ".join(vocab[ranks].tolist())

    def page(self, language: str, words: int) -> str:
        return self.words(language, words).capitalize() + "."


def setup(var: str | None) -> str:
    if not os.environ.get("DATABASE_URL"):
        var = var or tempfile.mkdtemp(prefix="dialogos-search-bench-")
        os.environ["DIALOGOS_VAR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogos.settings")
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the embedded default's own pragmas, for bulk work
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    return var or os.environ["DATABASE_URL"].rsplit("@", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=1_000_000, help="pages in total")
    parser.add_argument("--words-per-page", type=int, default=250)
    parser.add_argument("--vocabulary", type=int, default=30_000, help="pseudo-words per language")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument(
        "--no-bulk",
        dest="bulk",
        action="store_false",
        help="write row by row into the live index (as the worker does) instead of the "
        "engine's bulk load (PostgreSQL: GIN index built at the end; SQLite: one optimize)",
    )
    parser.add_argument("--embed-sample", type=int, default=256)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--first",
        type=int,
        default=1,
        help="number of the first document; above 1 the earlier synthetic documents are kept "
        "(so a full-scale load can be split into runs of a few minutes)",
    )
    parser.add_argument("--var", default=None, help="SQLite: DIALOGOS_VAR to (re)use")
    parser.add_argument("--json", dest="json_path", help="also write the results here")
    options = parser.parse_args()
    if options.docs < 1 or options.pages < options.docs:
        raise SystemExit("--docs must be at least 1 and --pages at least --docs")

    import numpy as np

    where = setup(options.var)

    from dialogos.search import embeddings, indexing
    from dialogos.search.engines import get_engine
    from dialogos.search.models import SearchEntry
    from dialogos.search.registry import IndexEntry

    engine = get_engine()
    print(f"# engine {engine.name}; database {where}", flush=True)
    print(f"# load average before: {os.getloadavg()}", flush=True)
    if options.first <= 1:
        SearchEntry.objects.filter(kind="benchdoc").delete()
    corpus = Corpus(options.seed, options.vocabulary)
    corpus.rng = np.random.default_rng(options.seed + options.first)  # the documents, per run
    names = indexing.all_country_names()
    pages_per_doc = options.pages / options.docs
    start_day = datetime.date(2005, 1, 1)
    rng = corpus.rng

    def make(n: int) -> tuple[int, IndexEntry]:
        pages = int(pages_per_doc) + (1 if rng.random() < pages_per_doc % 1 else 0)
        roll = rng.random()
        languages = ["en"] if roll < 0.5 else ["ru"] if roll < 0.83 else ["en", "ru"]
        title = {
            lang: f"{corpus.words(lang, 7).capitalize()} (synthetic {n})" for lang in languages
        }
        body = {
            lang: "\n".join(corpus.page(lang, options.words_per_page) for _ in range(pages))
            for lang in languages
        }
        return n, IndexEntry(
            title=title,
            body=body,
            url={"en": f"/en/bench/{n}/", "ru": f"/ru/bench/{n}/"},
            access=str(rng.choice(LEVELS)),
            dialogue_id=int(rng.integers(1, 6)),
            countries=[str(c) for c in rng.choice(COUNTRIES, size=int(rng.integers(0, 4)))],
            topics={str(t): {"en": f"Bench topic {t[-2:]}"} for t in rng.choice(TOPICS, size=2)},
            date=start_day + datetime.timedelta(days=int(rng.integers(0, 365 * 21))),
            languages=languages,
        )

    generated_seconds = 0.0
    write_seconds = 0.0
    text_bytes = 0
    done = 0
    started = time.perf_counter()
    with engine.bulk() if options.bulk else contextlib.nullcontext():
        while done < options.docs:
            size = min(options.batch, options.docs - done)
            t0 = time.perf_counter()
            batch = [make(options.first + done + i) for i in range(size)]
            text_bytes += sum(len(v.encode()) for _n, e in batch for v in e.body.values())
            t1 = time.perf_counter()
            indexing.write_entries("benchdoc", batch, with_vectors=False, country_names=names)
            t2 = time.perf_counter()
            generated_seconds += t1 - t0
            write_seconds += t2 - t1
            done += size
            if done % (options.batch * 10) == 0 or done == options.docs:
                print(
                    f"{done}/{options.docs} documents, {done / write_seconds:.0f} docs/s "
                    f"indexing, {time.perf_counter() - started:.0f} s, load {os.getloadavg()}",
                    flush=True,
                )
        t0 = time.perf_counter()
    finish_seconds = time.perf_counter() - t0  # the engine's work at the end of a bulk load
    write_seconds += finish_seconds

    sample = [make(options.first + options.docs + i)[1] for i in range(options.embed_sample)]
    embeddings.encode(["warm up"])
    t0 = time.perf_counter()
    embeddings.encode([indexing.embedding_text(e) for e in sample])
    embed_ms = (time.perf_counter() - t0) / max(1, len(sample)) * 1000

    size = engine.index_bytes()
    result = {
        "engine": engine.name,
        "docs": options.docs,
        "pages": options.pages,
        "words_per_page": options.words_per_page,
        "text_mb": round(text_bytes / 1e6, 1),
        "index_seconds": round(write_seconds, 1),
        "docs_per_second": round(options.docs / write_seconds, 1),
        "pages_per_second": round(options.pages / write_seconds, 1),
        "text_mb_per_second": round(text_bytes / 1e6 / write_seconds, 2),
        "generate_seconds": round(generated_seconds, 1),
        "bulk_finish_seconds": round(finish_seconds, 1),
        "index_mb": round(size / 1e6, 1),
        "embedding_ms_per_entry": round(embed_ms, 2),
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))
    if options.json_path:
        Path(options.json_path).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
