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
                 "in TRD", "it may help", "fast\u2010acting", "a game\u2011changer"]:     # typeset hyphens
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


# ---------------------------------------------------------------- the matching engine
# A Matcher runs only the entries whose need (a word, a piece of text, a cheap
# regex) a text meets, one by one, and merges what they find. Whatever it
# skips or merges, it must find exactly what the whole list as one regex finds.

def _reference_search(m: Matcher, text: str):
    """The first match of the whole list, each kind as one regex behind its
    list's gate (the engine without needs, one by one or merging)."""
    best = None
    for kind in m.kinds:
        if not _gate_open(kind, text):
            continue
        hit = kind.whole().search(lexicons.lowered(text) if kind.lower else text)
        if hit is not None and (best is None or hit.start() < best.start()):
            best = hit
    return best


def _reference_finditer(m: Matcher, text: str):
    found, kinds_run = [], 0
    for kind in m.kinds:
        if not _gate_open(kind, text):
            continue               # a list's own gate is part of what it finds
        found.extend(kind.whole().finditer(lexicons.lowered(text) if kind.lower else text))
        kinds_run += 1
    return sorted(found, key=lambda x: (x.start(), -x.end())) if kinds_run > 1 else found


def _gate_open(kind, text: str) -> bool:
    """A list's own gate (part of what it finds): one of its gate words, or a word
    starting with one of its gate prefixes."""
    words = lexicons.words_of(text)
    return kind.gate is None or not kind.gate.isdisjoint(words) or \
        any(w.startswith(p) for w in words for p in kind.gate_prefixes)


def _spans(matches):
    return [(x.span(), x.group(0)) for x in matches if x is not None]


def _all_matchers():
    import dataclasses
    found: dict[int, Matcher] = {}

    def walk(obj):
        if isinstance(obj, Matcher):
            found.setdefault(id(obj), obj)
        elif isinstance(obj, GroupMatcher):
            walk(obj.matcher)
            for _, fallback in obj.fallback:
                walk(fallback)
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name))
        elif isinstance(obj, (dict, tuple, list)):
            for v in (obj.values() if isinstance(obj, dict) else obj):
                walk(v)

    for view in lexicons.VIEWS:
        walk(view())
    return list(found.values())


def _sample_texts() -> list[str]:
    """Sentences of the hand-annotated pages, plus lines that hit many entries."""
    from pathlib import Path
    from extractors.sentences import split_sentences
    texts = []
    for page in sorted((Path(__file__).parent / "gold" / "pages").iterdir()):
        texts += split_sentences(page.read_text(encoding="utf-8"))
    texts += [
        "Ketamine (NRX-101) is a game-changer: 70% of patients responded within 24 hours (p < 0.05).",
        "THIS TREATMENT IS SAFE AND EFFECTIVE, with no side effects; call us today!",
        "Studies have shown that esketamine nasal spray reduced MADRS scores vs placebo (95% CI 2-5).",
        "It works fast-acting, a fast acting and fastacting revolutionizing care, $500 off.",
        "Randomized, double-blind, placebo-controlled trial of 40 adults with treatment-resistant depression.",
    ]
    return texts


def test_every_lexicon_list_finds_what_its_whole_regex_finds():
    """Needs never hide a match, and entries run one by one merge into the
    same matches, in the same order, as the list run as one regex."""
    texts = _sample_texts()
    for m in _all_matchers():
        for text in texts:
            assert _spans([m.search(text)]) == _spans([_reference_search(m, text)]), text
            assert _spans(m.finditer(text)) == _spans(_reference_finditer(m, text)), text


def test_phrases_one_by_one_keep_the_trie_order():
    # on one start the trie prefers the longer phrase, then the first in token order
    m = compile_phrases(["side effects", "side effects are mild", "mild"])
    assert m.kinds[0].one_by_one
    assert _spans(m.finditer("Side effects are mild here")) == [((0, 21), "side effects are mild")]
    assert _spans(m.finditer("side effects, mild")) == [((0, 12), "side effects"), ((14, 18), "mild")]
    # matches do not overlap: the first one wins, the next starts after it
    m = compile_phrases(["ab cd", "cd ef", "ef"])
    assert _spans(m.finditer("ab cd ef")) == [((0, 5), "ab cd"), ((6, 8), "ef")]


def test_phrases_that_could_merge_differently_run_as_one_trie():
    """Two spacing tokens in a row ("a - b") let the trie settle on a later
    phrase first: such lists keep one regex, and still find what it finds."""
    m = compile_phrases(["a - b c", "a b"])
    assert not m.kinds[0].one_by_one
    assert _spans(m.finditer("a - b c")) == _spans(_reference_finditer(m, "a - b c"))


def test_regex_entries_one_by_one_keep_list_order():
    m = compile_phrases(["re:\\bfast\\w*", "re:\\bfast\\s+acting\\b"])
    assert m.raw.one_by_one
    # the alternation tries entries in (sorted) list order at each start
    assert _spans(m.finditer("fast acting")) == [((0, 11), "fast acting")]
    assert _spans(m.finditer("fast acting")) == _spans(_reference_finditer(m, "fast acting"))


def test_needed_words_are_read_from_the_regex():
    nw = lexicons.needed_words
    # of several sets of words every match holds, the rarest: "shown", not "studies"
    assert nw(r"\b(?:studies|trials|research)\b\s+(?:have\s+)?shown") == {"shown"}
    device = r"\b(?:the|a)\s+(?:[\w-]+\s+){0,2}(?:compound|device)s?"
    assert nw(device + r"\b") == {"compound", "compounds", "device", "devices"}
    assert nw(device, bounded=False) == {"the", "a"}        # "compoundsx" would be one word
    assert nw(r"\bstud(?:y|ies)\b") == {"study", "studies"}
    assert nw(r"\b(?:x|y\s+z)\b") == {"x", "z"}          # one of the branches' words
    # no word boundary, no word: "not significantly" holds no word "significant"
    assert nw(r"\bnot\s+significant", bounded=False) == {"not"}
    assert nw(r"\b\d+\s+(?:minutes|mins?)\b") == {"minutes", "min", "mins"}
    assert nw(r"\b\d+\s*(?:minutes|mins?)\b") is None    # "60min" is one word
    assert nw(r"(?:x\s+)?abc\b", bounded=False) is None   # "xabc": no boundary before abc


def test_needed_texts_and_hints():
    assert lexicons.needed_texts(r"\b(?:\d+|an?|one)[\s-]*hours?\b") == {"hour"}
    assert lexicons.needed_texts(r"\b(?:according\s+to|per)\s+") == {"according", "per"}
    assert lexicons.regex_hint(r"(?-i:\b(?:[A-Z]{2,5})-\d{1,4}\b)").pattern == r"\-[\d]"
    assert lexicons.regex_hint(r"^\W{0,3}its\b").pattern == r"^\W{0,3}its\b"
    assert lexicons.regex_hint(r"\bits\s+use") is None   # a letter first: no cheaper than the entry


def test_letters_that_fold_to_ascii_do_not_hide_a_match():
    """A case-insensitive regex takes "İ" for "i"; the word set does not."""
    m = compile_phrases(["re:\\bthis\\s+works\\b", "re:\\bthis\\b"])
    for text in ["thİs works", "THıS", "ſuch and this"]:
        assert m.search(text) is not None
        assert _spans([m.search(text)]) == _spans([_reference_search(m, text)]), text


def test_words_of_shortcuts_match_the_regex_tokens():
    import re
    for text in ["Hello, World_2024 x-ray A1c", "TAB\tand\x1cFS", "don't stop", "9.5 mg/kg", "",
                 "Title\nFirst SENTENCE.\nÉtude – 5 µg/kg\n\nlast_line"]:
        assert lexicons.words_of(text) == frozenset(re.findall(r"[^\W_]+", text.lower())), text


def test_entries_match_whole_words_but_may_end_on_a_non_word_character_before_a_word():
    m = compile_phrases(["cure", "~", "$100 off", "re:[Pp]\\s*[<=>]"])
    found = [x.group(0) for x in m.finditer("secure a cure, ~50% of them, for $100 off, p<0.05")]
    assert found == ["cure", "~", "$100 off", "p<"]
    assert not m.search("incurable") and not m.search("xp<0.05") and not m.search("US$100 off")


@pytest.mark.corpus
def test_lists_compile_each_set_of_entries_once_over_the_corpus(corpus_dir, monkeypatch):
    """A list that cannot run its entries one by one (an entry names no word
    to wait for: "re:★") compiles one regex per set of entries that can match.
    Those regexes are cached; when a list needs more sets than the cache
    holds, every document recompiles them and extraction slows by a fifth.
    After one pass over the real abstracts and press releases, a second pass
    must find every regex it needs already compiled."""
    from extractors.record import extract_document
    from flows.sources.files import read_file

    docs = [next(iter(read_file(p))) for folder, pattern in (("pmc_oa_jats", "*.nxml"),
                                                             ("press_releases", "*.md"))
            for p in sorted((corpus_dir / folder).glob(pattern))]
    for doc in docs:
        extract_document(doc)
    compiled = []
    joined = lexicons._Alternatives._joined

    def counting(self, entries):
        if entries not in self.compiled:
            compiled.append(self.sources[0][:60])
        return joined(self, entries)

    monkeypatch.setattr(lexicons._Alternatives, "_joined", counting)
    for doc in docs:
        extract_document(doc)
    assert compiled == []
