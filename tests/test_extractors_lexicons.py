"""The lexicon files load, and the phrase syntax and match gates behave."""
import pytest

from data import lexicons
from data.lexicons import GroupMatcher, Matcher, compile_phrases


def _phrases(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from _phrases(x)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _phrases(v)


def test_every_lexicon_loads_and_compiles():
    assert set(lexicons.available()) >= {
        "hype", "calls_to_action", "evidence", "hedges", "risks", "claim_cues", "conditions",
        "measures", "design", "treatments", "outcomes", "quantities", "sentences"}
    lexicons.preload()
    assert lexicons.hype() is lexicons.hype()          # loaded once


@pytest.mark.parametrize("name", ["hype", "calls_to_action", "evidence", "hedges", "risks",
                                  "claim_cues", "conditions", "measures", "treatments", "outcomes",
                                  "design"])
def test_each_plain_phrase_finds_itself_through_its_gate(name):
    """The gate (a word the text must hold) must never hide a phrase's own spelling."""
    for phrase in _phrases(lexicons.load(name)):
        if phrase.startswith(("re:", "re(")) or "*" in phrase or not any(c.isalpha() for c in phrase):
            continue
        text = phrase[3:] if phrase.startswith("cs:") else phrase
        variants = {text, text.replace("-", " "), text.replace("-", ""), text.upper() if not phrase.startswith("cs:") else text}
        m = Matcher([phrase])
        for v in variants:
            assert m.search(f"x {v} y") is not None, (name, phrase, v)


def test_phrase_syntax():
    m = compile_phrases(["game changer", "fast-acting", "revolutioni*", "don't wait", "cs:TRD",
                         "re(may):\\bmay\\b(?!\\s+\\d)"])
    for text in ["a Game-Changer", "fastacting", "fast acting", "Revolutionizing care", "Don’t wait!",
                 "in TRD", "it may help"]:
        assert m.search(text) is not None, text
    for text in ["trd", "in May 2024", "fast", "a changer"]:
        assert m.search(text) is None, text
    # positions refer to the original text; plain matches are lower-cased
    hit = m.search("Try the GAME CHANGER")
    assert hit.span() == (8, 20) and hit.group(0) == "game changer"


def test_blank_keeps_length():
    m = compile_phrases(["respiratory depression"])
    text, changed = m.blank("Risk of Respiratory Depression here")
    assert changed and len(text) == len("Risk of Respiratory Depression here")
    assert "Depression" not in text


def test_group_matcher_names_the_list():
    g = GroupMatcher({"a": ["side effects are mild"], "b": ["side effects", "cs:NRS"]})
    assert [k for _, k in g.finditer("Side effects are mild; NRS fell; side effects")] == ["a", "b", "b"]


def test_vocabulary_checks():
    assert set(lexicons.claim_cues().priority) == {
        "efficacy", "onset", "durability", "safety", "mechanism", "regulatory", "cost", "procedure"}
    assert {c for c, _, _ in lexicons.conditions().steps} <= set(lexicons.conditions().order)
