"""Normalisation: opencc t2s character by character (never phrases), full-width and case folding, whitespace
and control characters as spaces; one character in, one out."""

from __future__ import annotations

import random

import opencc

from gongkai.search.normalise import normalise, normalise_many, table

T2S = opencc.OpenCC("t2s")


def _t2s_alone(ch: str) -> str:
    """t2s of one character, repeated while it changes (a few characters chain: 薴 → 苧 → 苎)."""
    for _ in range(5):
        out = T2S.convert(ch)
        if len(out) != 1 or out == ch:
            return ch
        ch = out
    return ch


def test_each_character_is_converted_alone() -> None:
    rng = random.Random(1)  # noqa: S311 - test data
    changed = [chr(cp) for cp, out in table().items() if 0x4E00 <= cp <= 0x9FFF]
    for ch in [*rng.sample(changed, 300), *"許辦號體乾髮後薴"]:
        assert normalise(ch) == _t2s_alone(ch) != ch, ch
    for cp in rng.sample(range(0x4E00, 0x9FFF), 2000):
        assert normalise(chr(cp)) == _t2s_alone(chr(cp))
    assert normalise("薴") == normalise("苧") == "苎"  # a chain ends where both scripts meet


def test_phrase_conversion_is_not_used() -> None:
    # tw2sp would turn 檔案 into 文件 and 網路 into 网络; by character they stay 档案 and 网路
    assert normalise("規範性檔案") == "规范性档案"
    assert normalise("網路") == "网路"
    assert opencc.OpenCC("tw2sp").convert("網路") == "网络"


def test_length_is_kept_and_normalising_twice_changes_nothing() -> None:
    rng = random.Random(2)  # noqa: S311 - test data
    for _ in range(200):
        text = "".join(chr(rng.randrange(0x20, 0x30000)) for _ in range(50))
        text = "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)
        once = normalise(text)
        assert len(once) == len(text)
        assert normalise(once) == once


def test_folding() -> None:
    assert normalise("ＡＢＣ１２３（）") == "abc123()"
    assert normalise("Covid-19 ÉCOLE") == "covid-19 école"
    assert normalise("a\tb\nc\x00d\u3000e\u00a0f") == "a b c d e f"
    assert normalise("许政办〔2014〕11号") == "许政办〔2014〕11号"
    assert normalise("x\ud800y") == "x y"


def test_many_at_once_equals_one_by_one() -> None:
    texts = ["許昌", "", "ＡＢ", "x\ud800", "政府資訊公開"]
    assert normalise_many(texts) == [normalise(t) for t in texts]
    assert normalise_many([]) == []
