"""User text becomes a safe FTS5 expression: never a syntax error, never an operator."""

from __future__ import annotations

import sqlcipher3
from hypothesis import given, settings
from hypothesis import strategies as st

from medassist_desktop.core.knowledge.fts_query import (
    MAX_TERMS,
    fts_match_expression,
    query_terms,
)

TOKENIZER = "porter unicode61 remove_diacritics 2"  # as in the kb_chunks_fts migration


def _table() -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (context, text, tokenize = '{TOKENIZER}')")
    rows = [
        ("Dengue", "Warning signs: abdominal pain, persistent vomiting, bleeding gums."),
        ("Sốt xuất huyết", "Dấu hiệu cảnh báo: đau bụng, nôn nhiều."),
        ("ไข้เลือดออก", "อาการเตือน ปวดท้อง อาเจียน"),
        ("Malaria", "Give rectal artesunate before referral; NOT for adults who can swallow."),
        ("Child's cough", "Fast breathing and chest indrawing: pneumonia (AND/OR operators)."),
    ]
    conn.executemany("INSERT INTO t (context, text) VALUES (?, ?)", rows)
    return conn


CONN = _table()


def _matches(query: str) -> list[str]:
    expression = fts_match_expression(query)
    if expression is None:
        return []
    rows = CONN.execute(
        "SELECT context FROM t WHERE t MATCH ? ORDER BY bm25(t)", (expression,)
    ).fetchall()
    return [row[0] for row in rows]


def test_fts5_syntax_in_user_text_is_only_words() -> None:
    for query in [
        'fever AND "cough',
        "NOT",
        "fever OR",
        "NEAR(pain vomiting, 2)",
        "context:dengue",
        "artes*",
        "^warning",
        "(((",
        '"""',
        "-bleeding +gums",
        "{context text}: malaria",
        "pain\x00vomiting",
        "",
        "   ",
        "?!",
    ]:
        _matches(query)  # must not raise
    assert _matches("context:dengue") == ["Dengue"]  # 'context' is a word here, not a column
    assert _matches("artes*") == []  # '*' is no prefix operator: the word 'artes' is searched
    assert _matches("artesunate*") == ["Malaria"]
    assert fts_match_expression("NOT") is None  # an operator word alone is no search
    assert fts_match_expression("what is the") is None


def test_terms_lowercased_deduplicated_function_words_dropped() -> None:
    assert query_terms("What is the DOSE of Zinc, the dose?") == ["dose", "zinc"]
    assert query_terms("child's fever") == ["child", "fever"]  # the lone 's' is dropped
    assert len(query_terms(" ".join(f"word{i}" for i in range(100)))) == MAX_TERMS


def test_unicode_words_in_any_script() -> None:
    assert query_terms("ไข้เลือดออก") == ["ไข้เลือดออก"]  # combining vowel marks stay in the word
    assert _matches("ไข้เลือดออก") == ["ไข้เลือดออก"]
    assert _matches("sốt xuất huyết") == ["Sốt xuất huyết"]
    assert _matches("sot xuat huyet") == ["Sốt xuất huyết"]  # diacritics folded both ways
    assert _matches("🤒 vomiting") != []  # the emoji is dropped, the word is searched


def test_stemming_finds_other_forms_and_ranking_prefers_more_words() -> None:
    assert _matches("breathe quickly, chest indrawn") == ["Child's cough"]
    assert _matches("bleeding gums and vomiting")[0] == "Dengue"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_valid_expression(text: str) -> None:
    expression = fts_match_expression(text)
    if expression is not None:
        CONN.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
