"""The project's lexicons: TOML data files under `data/lexicons/`, loaded once.

Every lexicon is a plain TOML file a non-programmer can edit. Lists of
*phrases* use one small syntax, compiled here into regular expressions:

- a plain phrase matches case-insensitively, as whole words (an entry that
  ends on a character that is not a word character, "p<" or "~", may be
  followed by a word: "p<0.05", "~50%");
- a space inside a phrase matches any run of whitespace or a hyphen
  ("game changer" also finds "game-changer");
- a hyphen matches a hyphen, a space or nothing ("fast-acting" also finds
  "fast acting" and "fastacting");
- an apostrophe matches a straight or a curly one;
- `*` at the end of a word matches any ending ("revolutioni*" finds
  "revolutionise", "revolutionizing", ...);
- an entry starting with `cs:` is a case-sensitive phrase ("cs:TRD", "cs:NRS"),
  for abbreviations whose lower-case spelling is an ordinary word;
- an entry starting with `re:` is a raw regular expression (still
  case-insensitive; use `(?-i:...)` for a case-sensitive part);
  `re(word1,word2):REGEX` is the same, but the list's regexes only run on
  texts that contain one of the listed words (lower case) - give the words
  whenever the regex needs one, it keeps matching fast.

Matching runs, for each text, only the entries that can match in it: each
entry's need (a word, a piece of text) is read from the phrase or from the
regex itself, and tested on the text's word set (see `_Alternatives`).

Lexicons are read with `tomllib` from this folder and cached with
`functools.cache`; the compiled views (`hype()`, `evidence()`, ...) are cached
too, so extractors never load or compile a lexicon per sentence.
"""
from __future__ import annotations

import itertools
import re
import sys
from re import _constants as _sre, _parser as _sre_parse   # the stdlib's own regex reader
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from data.records import CLAIM_TYPES, CONDITIONS, DESIGNS

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"

# An entry never starts right after a word character, and ends at the end of
# a word or on a character that is not one: "p<" matches in "p<0.05", "~" in
# "~50%". (A condition at the start would cost the regex engine its fast scan.)
_WORD_START = r"(?<![\w])"
_WORD_END = r"(?!(?<=[\w])[\w])"


# --------------------------------------------------------------------------
# loading and compiling
# --------------------------------------------------------------------------

@cache
def load(name: str) -> dict:
    """The parsed TOML lexicon `data/lexicons/<name>.toml`."""
    path = LEXICON_DIR / f"{name}.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


def available() -> list[str]:
    """Names of the lexicon files present."""
    return sorted(p.stem for p in LEXICON_DIR.glob("*.toml"))


def _tokens(phrase: str, lower: bool = True) -> list[str]:
    """A plain phrase as a list of regex fragments, one per character."""
    out: list[str] = []
    for ch in (phrase.strip().lower() if lower else phrase.strip()):
        if ch == " ":
            out.append(r"[\s\-]+")
        elif ch == "-":
            out.append(r"[\s\-]?")
        elif ch in "'’":
            out.append("['’]")
        elif ch == "*":
            out.append(r"\w*")
        else:
            out.append(re.escape(ch))
    return out


def phrase_to_regex(phrase: str) -> str:
    """One lexicon entry as a regex fragment (no word boundaries added)."""
    if phrase.startswith("re:"):
        return f"(?:{phrase[3:]})"
    if phrase.startswith("re("):
        return f"(?:{_RAW_TRIGGERED.sub('', phrase)})"
    if phrase.startswith("cs:"):
        return f"(?-i:{''.join(_tokens(phrase[3:], lower=False))})"
    return "".join(_tokens(phrase))


def _trie_regex(token_lists: list[list[str]]) -> str:
    """Plain phrases merged into a trie-shaped regex: at each position the
    engine follows one branch per first character instead of trying every
    phrase, which is what makes lexicon matching fast. Longer phrases win
    (each optional tail is greedy)."""
    trie: dict = {}
    for toks in token_lists:
        node = trie
        for t in toks:
            node = node.setdefault(t, {})
        node[""] = {}

    def emit(node: dict) -> str:
        kids = sorted(k for k in node if k)
        if not kids:
            return ""
        alts = [k + emit(node[k]) for k in kids]
        body = alts[0] if len(alts) == 1 and len(kids[0]) <= 2 and "" not in node else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def phrases_regex(phrases: Iterable[str], *, bounded: bool = True) -> str:
    """All entries as one regex string (plain phrases as a trie, then `re:`
    and `cs:` entries), for patterns that embed a lexicon; prefer `Matcher`."""
    uniq = sorted({p for p in phrases if p and p.strip()})
    if not uniq:
        return r"(?!x)x"  # matches nothing
    raw = [f"(?:{_RAW_TRIGGERED.sub('', p) if p.startswith('re(') else p[3:]})"
           for p in uniq if p.startswith(("re:", "re("))]
    raw += [f"(?-i:{''.join(_tokens(p[3:], lower=False))})" for p in uniq if p.startswith("cs:")]
    plain = [_tokens(p) for p in uniq if not p.startswith(("re:", "re(", "cs:"))]
    parts = ([_trie_regex(plain)] if plain else []) + raw
    body = "|".join(parts)
    return f"{_WORD_START}(?:{body}){_WORD_END}" if bounded else f"(?:{body})"


# U+2010 and U+2011 are hyphens too ("meta‐analysis", as Wiley prints it)
_HYPHENS = str.maketrans("\u2010\u2011", "--")


@lru_cache(maxsize=4096)
def lowered(text: str) -> str:
    """`text` in lower case with plain hyphens, same length (so match
    positions carry over)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.translate(_HYPHENS)


_WORD = re.compile(r"[^\W_]+")


def names_beyond(matches: Iterable[re.Match[str]], words: frozenset[str]) -> bool:
    """Does a match hold a word that `words` lack? (A harm whose words the
    study's title holds is the outcome the study measures, not a side issue.)"""
    return any(not words_of(m.group(0)) <= words for m in matches)


@lru_cache(maxsize=4096)
def words_of(text: str) -> frozenset[str]:
    """The lower-case word tokens of `text` (cached: many lexicons ask),
    and ODD_CASE when the text holds a letter of `_ODD_CASE`."""
    if "\n" in text:           # sentences joined: no word spans lines, each line is cached
        return frozenset().union(*map(words_of, text.split("\n")))
    if text.isascii():          # the same tokens as `_WORD`, without a regex scan
        return frozenset(text.encode().translate(_ASCII_WORD_CHARS).decode().split())
    words = _WORD.findall(lowered(text))
    if not _ODD_CASE.isdisjoint(text):
        words.append(ODD_CASE)
    return frozenset(words)


# ASCII letters to lower case, digits kept, anything else a space
_ASCII_WORD_CHARS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32
                          for c in range(256))

# Letters outside ASCII that a case-insensitive regex takes for an ASCII
# letter while `lowered` keeps them as they are ("İ" and "ı" for "i", "ſ" for
# "s"): in a text holding one, the words a `re:` entry needs may not show.
_ODD_CASE = frozenset("İıſ")
ODD_CASE = "\x00odd case"      # no word: it matches no need


_RAW_TRIGGERED = re.compile(r"^re\(([^)]*)\):")


# Words too frequent in this corpus to make a good gate (speed only: any word
# of a phrase is a correct gate, a rarer one just opens less often).
_FREQUENT = frozenset("""
a an the and or of in on at to for with by from as is are was were be been than that this
these those it its not no more less after before during between among into over under
patients patient participants group groups treatment treatments therapy study studies
disorder disorders pain use effect effects rate rates score scores scale time day days
dose doses symptoms syndrome chronic acute surgery clinical health mental care
""".split())


def _rarity(token: str) -> tuple[int, int, str]:
    return (token not in _FREQUENT, len(token), token)


def _gate_words(phrase: str) -> tuple[set[str], set[str]] | None:
    """Words one of which a text must hold for a list holding `phrase` to
    run on it (`_Alternatives`: the list's gate, as it has always been).

    The phrase's longest word that every spelling keeps (a word next to a
    hyphen may be glued to its neighbour: "fast-acting" ~ "fastacting"); when
    there is none, the longest word of each spelling. Returns (words, word
    prefixes for `*` endings), or None when the phrase has no word to gate on.
    (Spellings here glue every hyphen or none; `_phrase_need` reads them all.)
    """
    low = phrase.strip().lower().replace("’", "'")
    variants = {low, low.replace("-", ""), low.replace("-", " ")}
    token_sets = []
    for v in variants:
        toks = _WORD.findall(v.replace("*", "* "))
        if not toks:
            return None
        token_sets.append(toks)
    # a word followed by "*" is only a prefix
    stars = {t for t in _WORD.findall(low.replace("*", "*")) if f"{t}*" in low}
    common = set(token_sets[0]).intersection(*map(set, token_sets[1:])) - stars
    if common:
        return {max(common, key=_rarity)}, set()
    words: set[str] = set()
    prefixes: set[str] = set()
    for toks in token_sets:
        exact = [t for t in toks if t not in stars]
        if exact:
            words.add(max(exact, key=_rarity))
        else:
            prefixes.add(max(toks, key=len))
    return words, prefixes


def _wrap(body: str, bounded: bool) -> str:
    return f"{_WORD_START}(?:{body}){_WORD_END}" if bounded else f"(?:{body})"


_SPACE_TOKEN, _HYPHEN_TOKEN, _QUOTE_TOKEN, _STAR_TOKEN = r"[\s\-]+", r"[\s\-]?", "['’]", r"\w*"
_SPECIAL_TOKENS = frozenset((_SPACE_TOKEN, _HYPHEN_TOKEN, _QUOTE_TOKEN, _STAR_TOKEN))


def _trie_order(tokens: list[str]) -> list[str]:
    """Sort key: the order in which the trie of `_trie_regex` tries phrases
    at one position (by token; a phrase before its own prefixes, since
    optional tails are greedy)."""
    return tokens + ["\U0010ffff"]


def _phrase_regex(tokens: list[str], bounded: bool) -> str:
    """One phrase as a regex, the same as its trie alone, with its leading
    literal characters first: the engine then finds the places where it can
    start by a fast search for them, instead of trying every position."""
    n = 0
    while n < len(tokens) and tokens[n] not in _SPECIAL_TOKENS:
        n += 1
    if not bounded or n == 0:
        return _wrap("".join(tokens), bounded)
    end = r"(?![\w])" if re.fullmatch(r"\w", tokens[-1]) or tokens[-1] in _SPECIAL_TOKENS else ""
    return f"{''.join(tokens[:n])}(?<![\\w][\\s\\S]{{{n}}}){''.join(tokens[n:])}{end}"


def _phrases_one_by_one(token_lists: list[list[str]]) -> bool:
    """Do phrases run one by one find what their trie finds? Yes unless a
    phrase may match nothing, has two spacing tokens in a row ("a - b"), or
    "*" before a character: there the trie may settle on a later phrase
    before trying an earlier one with a shorter spacing."""
    spacing = (_SPACE_TOKEN, _HYPHEN_TOKEN)
    for toks in token_lists:
        if all(t in (_HYPHEN_TOKEN, _STAR_TOKEN) for t in toks):
            return False
        for a, b in zip(toks, toks[1:]):
            if (a in spacing and b in spacing) or (a == _STAR_TOKEN and b not in spacing):
                return False
    return True


def _regexes_one_by_one(bodies: list[str]) -> bool:
    """Do `re:` entries run one by one find what their alternation finds?
    Yes unless one may match nothing (finding the next match after an empty
    one follows its own rules)."""
    try:
        return all(_sre_parse.parse(b, re.IGNORECASE).getwidth()[0] > 0 for b in bodies)
    except re.error:
        return False


class _Alternatives:
    """The entries of one kind in a Matcher: plain phrases (on the
    lower-cased text), `cs:` phrases (on the text) or `re:` entries (case
    ignored, on the text).

    Each entry has a need, something a text must have for the entry to match
    in it: a word (plain and `cs:` phrases: `_phrase_need`; `re:` entries:
    `needed_words`, read from the regex itself), a word prefix (`*` endings),
    a piece of text (`needed_texts`), a cheap regex (`regex_hint`), or
    nothing. For a text, only the entries whose need it meets run: the
    others cannot match in it, so leaving them out changes nothing.

    The entries that run, run one by one, each its own regex, compiled once;
    `Matcher` merges what they find into what their trie (phrases) or
    alternation (`re:` entries) would find: the first match; on one start,
    the first entry in the trie's order of trying (`_trie_order`) or in list
    order. Where that would not hold (`_phrases_one_by_one`,
    `_regexes_one_by_one`), or some entries need nothing, the entries that
    run are joined into one regex instead, compiled once per set of entries.

    Each list keeps the gate it always had, and it is part of what the list
    finds: a phrase list runs on texts that hold a gate word of one of its
    phrases (`_gate_words`), a `re(words):` list on texts that hold one of the
    words of any entry, and not on other texts, though some entries might
    match there ("ham-d-17" in "HAMD-17", a `re(words):` entry without its
    words).
    """
    __slots__ = ("sources", "join", "flags", "lower", "case_blind", "gate", "gate_prefixes",
                 "by_word", "words", "by_prefix", "prefixes", "texts", "hinted", "always",
                 "one_by_one", "regex", "always_rx", "compiled")

    _MAX_COMPILED = 512        # sets of entries kept compiled, per list (not one by one)

    def __init__(self, sources: list[str], join, needs: list[_Need | None], *, one_by_one: bool,
                 flags: int = 0, lower: bool = False, gate: frozenset[str] | None = None,
                 gate_prefixes: tuple[str, ...] = ()):
        self.sources = sources          # entry number -> the entry's own regex
        self.join = join                # entry numbers -> one regex of those entries
        self.flags = flags
        self.lower = lower              # runs on the lower-cased text
        self.case_blind = bool(flags & re.IGNORECASE)
        self.gate, self.gate_prefixes = gate, gate_prefixes
        self.by_word: dict[str, list[int]] = {}       # needed word -> entries
        by_prefix: dict[str, list[int]] = {}          # needed word prefix -> entries
        self.texts: list[tuple[int, frozenset[str]]] = []
        self.hinted: list[tuple[int, re.Pattern[str]]] = []
        always = []
        for i, need in enumerate(needs):
            if need is None:
                always.append(i)
                continue
            for w in need.words:
                self.by_word.setdefault(w, []).append(i)
            for p in need.prefixes:
                by_prefix.setdefault(p, []).append(i)
            if need.texts:
                self.texts.append((i, need.texts))
            if need.hint is not None:
                self.hinted.append((i, need.hint))
        self.words = frozenset(self.by_word)
        self.by_prefix = tuple(by_prefix.items())
        self.prefixes = tuple(by_prefix)
        self.always = tuple(always)
        self.one_by_one = one_by_one and not always
        self.regex: list[re.Pattern[str] | None] = [None] * len(sources)
        self.compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
        self.always_rx = (self._joined(self.always),) if always else ()

    def regexes_for(self, text: str, words: frozenset[str]) -> Sequence[re.Pattern[str]]:
        """The regexes to run on `text` (word set `words`), in the order of
        trying; none when nothing can match."""
        gate = self.gate
        if gate is not None and gate.isdisjoint(words) and not self.gate_open(text, words):
            return ()
        if self.case_blind and ODD_CASE in words:
            return self.regexes_of(range(len(self.sources)))   # the words may not show (`_ODD_CASE`)
        if self.words.isdisjoint(words) and not (self.prefixes or self.texts or self.hinted):
            return self.always_rx
        active = set(self.always)
        for w in self.words.intersection(words):
            active.update(self.by_word[w])
        if self.prefixes or self.texts:
            low = lowered(text)         # a word can start with the prefix only where the text holds it
            for prefix, entries in self.by_prefix:
                if prefix in low:
                    active.update(entries)
            for i, texts in self.texts:
                if any(t in low for t in texts):
                    active.add(i)
        for i, hint in self.hinted:
            if hint.search(text) is not None:
                active.add(i)
        return self.regexes_of(sorted(active)) if active else ()

    def gate_open(self, text: str, words: frozenset[str]) -> bool:
        if self.gate is None or not self.gate.isdisjoint(words):
            return True
        # a word starts with a prefix only where the text holds the prefix
        return bool(self.gate_prefixes) and any(p in lowered(text) for p in self.gate_prefixes) \
            and any(w.startswith(self.gate_prefixes) for w in words)

    def regexes_of(self, entries: Iterable[int]) -> Sequence[re.Pattern[str]]:
        if not self.one_by_one:
            return (self._joined(tuple(entries)),)
        out = []
        for i in entries:
            rx = self.regex[i]
            if rx is None:
                rx = self.regex[i] = re.compile(self.sources[i], self.flags)
            out.append(rx)
        return out

    def whole(self) -> re.Pattern[str]:
        """All entries as one regex."""
        return self._joined(tuple(range(len(self.sources))))

    def _joined(self, entries: tuple[int, ...]) -> re.Pattern[str]:
        rx = self.compiled.get(entries)
        if rx is None:
            if len(self.compiled) >= self._MAX_COMPILED:
                self.compiled.clear()
            rx = self.compiled[entries] = re.compile(self.join(entries), self.flags)
        return rx


def _merged_finditer(regexes: Sequence[re.Pattern[str]], text: str, pos: int,
                     endpos: int) -> list[re.Match[str]]:
    """What `finditer` of the alternation of `regexes` (in this order) finds,
    from their own matches: repeatedly the first match from where the last
    one ended, on one start the earlier regex's (none matches nothing)."""
    nexts = [rx.search(text, pos, endpos) for rx in regexes]
    out: list[re.Match[str]] = []
    while True:
        best = None
        for m in nexts:
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return out
        out.append(best)
        end = best.end()
        for k, m in enumerate(nexts):
            if m is not None and m.start() < end:
                nexts[k] = regexes[k].search(text, end, endpos)


@dataclass(frozen=True)
class _Need:
    """What a text must have for an entry to match in it: one of `words`, a
    word starting with one of `prefixes`, one of `texts` in its lower-cased
    text, or a match of `hint`."""
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    texts: frozenset[str] = frozenset()
    hint: re.Pattern[str] | None = None


def _phrase_alternatives(phrases: list[str], bounded: bool, lower: bool) -> _Alternatives:
    """Plain (`lower`) or `cs:` phrases, in the trie's order of trying."""
    by_tokens = {tuple(_tokens(p, lower=lower)): p for p in phrases}
    token_lists = sorted((list(t) for t in by_tokens), key=_trie_order)
    gate, gate_prefixes = None, ()
    keys = [_gate_words(p) for p in phrases] if bounded else [None]
    if all(k is not None and (lower or not k[1]) for k in keys):
        gate = frozenset(w for k in keys for w in k[0])
        gate_prefixes = tuple(sorted({w for k in keys for w in k[1]}))
    return _Alternatives(
        [_phrase_regex(t, bounded) for t in token_lists],
        lambda entries: _wrap(_trie_regex([token_lists[i] for i in entries]), bounded),
        [_phrase_need(by_tokens[tuple(t)], bounded) for t in token_lists],
        one_by_one=_phrases_one_by_one(token_lists), lower=lower,
        gate=gate, gate_prefixes=gate_prefixes)


def _regex_alternatives(entries: list[str], bounded: bool) -> _Alternatives:
    """`re:` and `re(words):` entries, in list order."""
    bodies, gate_words, gated = [], set(), True
    for e in entries:
        m = _RAW_TRIGGERED.match(e)
        if m:
            bodies.append(e[m.end():])
            gate_words.update(w.strip().lower() for w in m.group(1).split(",") if w.strip())
        else:
            bodies.append(e[3:])
            gated = False
    return _Alternatives(
        [_wrap(f"(?:{b})", bounded) for b in bodies],
        lambda entries: _wrap("|".join(f"(?:{bodies[i]})" for i in entries), bounded),
        [_regex_need(b, bounded) for b in bodies],
        one_by_one=_regexes_one_by_one(bodies), flags=re.IGNORECASE,
        gate=frozenset(gate_words) if gated else None)


_MAX_HYPHENS = 6
_STARRED_WORD = re.compile(r"([^\W_]+)(\*?)")


def _phrase_need(phrase: str, bounded: bool) -> _Need | None:
    """A plain or `cs:` phrase's need: a word all its spellings hold (each
    hyphen glues its neighbours or parts them: "ham-d-17" is also spelled
    "hamd-17"), else the rarest word of each spelling; a word before `*` is
    a prefix. None when a spelling has no word, or for an unbounded list."""
    low = phrase.strip().lower().replace("’", "'")
    parts = low.split("-")
    if not bounded or len(parts) > _MAX_HYPHENS + 1:
        return None
    spellings = []
    for glue in itertools.product(("", " "), repeat=len(parts) - 1):
        spelling = parts[0] + "".join(g + p for g, p in zip(glue, parts[1:]))
        tokens = _STARRED_WORD.findall(spelling)
        if not tokens:
            return None
        spellings.append(tokens)
    exact = [{w for w, star in tokens if not star} for tokens in spellings]
    common = set.intersection(*exact)
    if common:
        return _Need(frozenset({max(common, key=_rarity)}))
    words, prefixes = set(), set()
    for tokens, words_here in zip(spellings, exact):
        if words_here:
            words.add(max(words_here, key=_rarity))
        else:
            prefixes.add(max((w for w, _ in tokens), key=len))
    return _Need(frozenset(words), tuple(sorted(prefixes)))


def _regex_need(body: str, bounded: bool) -> _Need | None:
    """A `re:` entry's need, read from the regex: words (`needed_words`),
    else the regex itself when anchored at the start (`regex_hint`), else
    pieces of text (`needed_texts`) or a cheap regex (`regex_hint`), else None."""
    words = needed_words(body, bounded)
    if words:
        return _Need(words)
    if body.startswith("^"):
        return _Need(hint=regex_hint(body))
    texts = needed_texts(body)
    if texts and min(map(len, texts)) >= 3:
        return _Need(texts=texts)
    hint = regex_hint(body)
    if hint is not None:
        return _Need(hint=hint)
    if texts and not any(c.isalnum() or c.isspace() for t in texts for c in t):
        return _Need(texts=texts)          # "$", "+", ";": rare enough on their own
    return None


def needed_words(body: str, bounded: bool = True) -> frozenset[str] | None:
    """Words (lower case, ASCII letters and digits) one of which every match
    of the regex `body` holds as a whole word, read from the regex itself:
    {"studies", "trials", "research"} and {"shown"} for
    `\\b(?:studies|trials|research)\\b\\s+(?:have\\s+)?shown`; of several such
    sets, the one with the rarest words ({"shown"}). `bounded`: the regex runs
    between word boundaries (`Matcher`). None when the regex shows none.
    """
    try:
        items = _sre_parse.parse(body, re.IGNORECASE).data
    except re.error:
        return None
    factors: list[frozenset[str]] = []
    _WordWalk(factors, at_boundary=bounded).walk(items, then_boundary=bounded, close=bounded)
    return max(factors, key=lambda f: min(map(_rarity, f)), default=None)


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_MAX_SPELLINGS = 64
_BOUNDARY_AT = (_sre.AT_BOUNDARY, _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING,
                _sre.AT_END, _sre.AT_END_STRING)


class _WordWalk:
    """Reads a parsed regex left to right, collecting the sets of whole words
    that every match holds (`needed_words`).

    A word is a piece of the regex with a finite set of spellings made of
    letters and digits ("stud(?:y|ies)"), between two word boundaries: `\\b`,
    `^`, `$`, a character that is no letter or digit (a space, "-"), or the
    ends of a bounded regex. Anything else ends the piece without a boundary.
    """

    def __init__(self, factors: list[frozenset[str]], at_boundary: bool):
        self.factors = factors
        self.at_boundary = at_boundary      # the last thing read was a boundary
        self.piece: set[str] | None = None  # spellings of the word being read

    def walk(self, items, then_boundary: bool = False, close: bool = False) -> bool:
        """Read `items`, followed by a boundary when `then_boundary`, closing
        the word still open at their end when `close`; whether they end at a
        boundary, no word open."""
        items = list(items)
        for k, item in enumerate(items):
            self.step(item, _is_boundary(items[k + 1]) if k + 1 < len(items) else then_boundary)
        if close:
            self.boundary()
        return self.at_boundary and self.piece is None

    def boundary(self) -> None:
        if self.piece and "" not in self.piece:
            self.factors.append(frozenset(self.piece))
        self.piece, self.at_boundary = None, True

    def broken(self) -> None:
        self.piece, self.at_boundary = None, False

    def step(self, item, then_boundary: bool) -> None:
        op, av = item
        if op is _sre.AT:
            if av in _BOUNDARY_AT:
                self.boundary()
            return
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):     # looks around, takes nothing
            return
        spellings = _spellings(item)
        if spellings is not None:
            if self.piece is not None:
                self.piece = {a + b for a in self.piece for b in spellings}
                if len(self.piece) > _MAX_SPELLINGS:
                    self.broken()
            elif self.at_boundary:
                self.piece = set(spellings)
            return
        if _no_word_char(item):
            self.boundary()
        elif op is _sre.SUBPATTERN:                  # a group: its items follow on
            self.walk(av[-1], then_boundary)
        elif op is _sre.BRANCH:                      # one of the branches' words
            start = self.at_boundary and self.piece is None
            branches, ends = [], []
            for branch in av[1]:
                found: list[frozenset[str]] = []
                ends.append(_WordWalk(found, start).walk(branch, then_boundary, close=then_boundary))
                branches.append(max(found, key=lambda f: min(map(_rarity, f)), default=None))
            if all(branches):
                self.factors.append(frozenset().union(*branches))
            self.piece, self.at_boundary = None, all(ends)
        elif op in _REPEATS:
            start = self.at_boundary and self.piece is None
            # the repeated part's words, when it is there at least once
            ends = _WordWalk(self.factors if av[0] >= 1 else [], start).walk(av[2])
            # "(?:\\w+\\s+)?" ends at a boundary whether it is there or not
            self.piece, self.at_boundary = None, ends and (start or av[0] >= 1)
        else:
            self.broken()


def _is_boundary(item) -> bool:
    op, av = item
    return (op is _sre.AT and av in _BOUNDARY_AT) or _no_word_char(item)


def _spellings(item) -> set[str] | None:
    """The finite set of strings of letters and digits (lower case) the
    parsed regex item matches, or None."""
    op, av = item
    if op is _sre.LITERAL:
        c = chr(av).lower()
        return {c} if c in _WORD_CHARS else None
    if op is _sre.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is _sre.LITERAL:
                chars.add(chr(sub_av).lower())
            elif sub_op is _sre.RANGE and sub_av[1] - sub_av[0] < len(_WORD_CHARS):
                chars.update(chr(c).lower() for c in range(sub_av[0], sub_av[1] + 1))
            else:
                return None
        return chars if chars <= _WORD_CHARS else None
    if op is _sre.SUBPATTERN:
        return _sequence_spellings(av[-1])
    if op is _sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            s = _sequence_spellings(branch)
            if s is None:
                return None
            out |= s
        return out if len(out) <= _MAX_SPELLINGS else None
    if op in _REPEATS and av[0] == 0 and av[1] == 1:      # optional: "trials?"
        s = _sequence_spellings(av[2])
        return None if s is None else s | {""}
    return None


def _sequence_spellings(items) -> set[str] | None:
    out = {""}
    for item in items:
        if item[0] in _ZERO_WIDTH:
            continue
        s = _spellings(item)
        if s is None:
            return None
        out = {a + b for a in out for b in s}
        if len(out) > _MAX_SPELLINGS:
            return None
    return out


def _no_word_char(item) -> bool:
    """Does the parsed regex item take one character or more, none of them
    a letter or digit (a space, "-", "\\s+")?"""
    op, av = item
    if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1:
        return _no_word_char(av[2][0])
    if op is _sre.LITERAL:
        return not chr(av).isalnum()
    if op is _sre.IN:
        for sub_op, sub_av in av:
            if sub_op is _sre.LITERAL:
                if chr(sub_av).isalnum():
                    return False
            elif sub_op is _sre.RANGE:
                if any(chr(c).isalnum() for c in range(sub_av[0], sub_av[1] + 1)):
                    return False
            elif not (sub_op is _sre.CATEGORY
                      and sub_av in (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD)):
                return False
        return True
    return False


_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)


def needed_texts(body: str) -> frozenset[str] | None:
    """Pieces of text (lower case, ASCII) one of which every match of the
    regex `body` holds, read from the regex: e.g. {"hour"} for
    `\\d+[\\s-]*hours?`; the longest when there are several."""
    try:
        return _best_texts(_sre_parse.parse(body, re.IGNORECASE).data)
    except re.error:
        return None


def _best_texts(items) -> frozenset[str] | None:
    factors: list[list[str]] = []
    factors.append(["".join(_literal_runs(items, factors, []))])
    factors = [f for f in factors if all(f)]
    best = max(factors, key=lambda f: min(map(len, f)), default=None)
    return frozenset(best) if best else None


def _literal_runs(items, factors: list[list[str]], run: list[str]) -> list[str]:
    """Add to `factors` every run of literal characters that every match of
    the parsed regex `items` holds, and every set of runs one of which it
    holds (alternatives); returns the run still open at its end."""
    for op, av in items:
        if op is _sre.LITERAL and av < 128:
            run.append(chr(av).lower())
        elif op in _ZERO_WIDTH:                 # takes no character: the run goes on
            continue
        elif op is _sre.SUBPATTERN:             # a group: its items follow on
            run = _literal_runs(av[-1], factors, run)
        elif op in _REPEATS and av[0] >= 1 and len(av[2]) == 1 \
                and av[2][0][0] is _sre.LITERAL and av[2][0][1] < 128:
            c = chr(av[2][0][1]).lower()        # x{1,n}: one x ends this run, another starts the next
            run.append(c)
            if av[1] != 1:
                factors.append(["".join(run)])
                run = [c]
        else:                                   # anything else ends the run ...
            factors.append(["".join(run)])
            run = []
            if op in _REPEATS and av[0] >= 1:   # ... a required repeat holds its part's runs
                factors.append(["".join(_literal_runs(av[2], factors, []))])
            elif op is _sre.BRANCH:             # ... an alternation, one of its branches' runs
                branches = [_best_texts(branch) for branch in av[1]]
                if all(branches):
                    factors.append([t for b in branches for t in b])
    return run


def regex_hint(body: str) -> re.Pattern[str] | None:
    """A cheap regex that finds something in every text the regex `body`
    matches in, or None.

    An entry anchored at the start is its own hint: without the word
    boundaries `Matcher` puts around it, the engine tries it at one position
    only. Otherwise a run of characters every match holds that starts with
    one that has no case ("-\\\\d" in a product code "NRX-101"): the engine
    finds such a run by a fast search for that character. (Runs starting with
    a letter, case ignored, are searched position by position: no cheaper
    than most entries themselves.)
    """
    if body.startswith("^"):
        return re.compile(body, re.IGNORECASE)
    try:
        runs: list[list] = []
        runs.append(_required_runs(_sre_parse.parse(body, re.IGNORECASE).data, runs, []))
    except re.error:
        return None
    tails = []                  # each run from its first character without case on
    for run in runs:
        k = next((k for k, (op, av) in enumerate(run)
                  if op is _sre.LITERAL and not chr(av).isalpha()), len(run))
        if len(run) - k >= 2:
            tails.append(run[k:])
    if not tails:
        return None
    try:
        return re.compile("".join(map(_char_source, max(tails, key=len))), re.IGNORECASE)
    except (KeyError, ValueError):
        return None                 # a construct this reading does not know: no hint


def _required_runs(items, runs: list[list], run: list) -> list:
    """Add to `runs` every run of one-character items (a literal or a class)
    that follow each other in every match of the parsed regex `items`;
    returns the run still open at its end."""
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN):
            run.append((op, av))
        elif op in _ZERO_WIDTH:                 # takes no character: the run goes on
            continue
        elif op is _sre.SUBPATTERN:             # a group: its items follow on
            run = _required_runs(av[-1], runs, run)
        elif op in _REPEATS and av[0] >= 1 and len(av[2]) == 1 \
                and av[2][0][0] in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN):
            run.append(av[2][0])                # x{1,n}: one x ends this run, another starts the next
            if av[1] != 1:
                runs.append(run)
                run = [av[2][0]]
        else:                                   # alternatives, optional parts: the run stops
            runs.append(run)
            run = []
    return run


_CATEGORY_SOURCE = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D",
                    _sre.CATEGORY_SPACE: r"\s", _sre.CATEGORY_NOT_SPACE: r"\S",
                    _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W"}


def _char_source(item) -> str:
    """A parsed one-character item as regex source."""
    op, av = item
    if op is _sre.LITERAL:
        return re.escape(chr(av))
    if op is _sre.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]"
    parts = []
    for sub_op, sub_av in av:
        if sub_op is _sre.NEGATE:
            parts.append("^")
        elif sub_op is _sre.LITERAL:
            parts.append(re.escape(chr(sub_av)))
        elif sub_op is _sre.RANGE:
            parts.append(f"{re.escape(chr(sub_av[0]))}-{re.escape(chr(sub_av[1]))}")
        elif sub_op is _sre.CATEGORY:
            parts.append(_CATEGORY_SOURCE[sub_av])
        else:
            raise ValueError(sub_op)
    return f"[{''.join(parts)}]"


class Matcher:
    """A compiled lexicon list with the `re.Pattern` methods extractors use.

    Entry kinds (see the module docstring): plain phrases are matched
    case-sensitively on the lower-cased text (a trie regex without IGNORECASE
    is about twice as fast); `cs:` phrases case-sensitively on the original
    text; `re:` / `re(words):` entries case-insensitively on the original.
    Matches from plain phrases carry lower-cased text in `group(0)`;
    positions are always those of the original text.

    Each kind runs only the entries that can match in the text
    (`_Alternatives`): a set test on the text's words instead of a regex
    scan for most entries and most sentences.
    """
    __slots__ = ("plain", "cs", "raw", "kinds", "needed_words", "words_only", "case_blind")

    def __init__(self, phrases: Iterable[str], *, bounded: bool = True):
        uniq = sorted({p for p in phrases if p and p.strip()})
        plain = [p for p in uniq if not p.startswith(("re:", "re(", "cs:"))]
        cs = [p[3:] for p in uniq if p.startswith("cs:")]
        raw = [p for p in uniq if p.startswith(("re:", "re("))]
        self.plain = _phrase_alternatives(plain, bounded, lower=True) if plain else None
        self.cs = _phrase_alternatives(cs, bounded, lower=False) if cs else None
        self.raw = _regex_alternatives(raw, bounded) if raw else None
        self.kinds = tuple(k for k in (self.plain, self.cs, self.raw) if k is not None)
        # When every entry needs a word, a text with none of them is done with one set test.
        self.needed_words = frozenset().union(*(k.words for k in self.kinds))
        self.words_only = not any(k.always or k.prefixes or k.texts or k.hinted for k in self.kinds)
        self.case_blind = any(k.case_blind for k in self.kinds)

    def _needs_none_of(self, words: frozenset[str]) -> bool:
        """Does a text with these words meet no entry's need (told by one set test)?"""
        return self.words_only and self.needed_words.isdisjoint(words) \
            and not (self.case_blind and ODD_CASE in words)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """The first match (of the first kind and entry, on a tie)."""
        words = words_of(text)
        if self._needs_none_of(words):
            return None
        best = None
        for kind in self.kinds:
            regexes = kind.regexes_for(text, words)
            if regexes:
                t = lowered(text) if kind.lower else text
                for rx in regexes:
                    m = rx.search(t, pos, endpos)
                    if m is not None and (best is None or m.start() < best.start()):
                        best = m
        return best

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[re.Match[str]]:
        """The matches of every kind, by start (the longer first)."""
        words = words_of(text)
        if self._needs_none_of(words):
            return []
        out: list[re.Match[str]] = []
        kinds_run = 0
        for kind in self.kinds:
            regexes = kind.regexes_for(text, words)
            if regexes:
                t = lowered(text) if kind.lower else text
                out.extend(regexes[0].finditer(t, pos, endpos) if len(regexes) == 1
                           else _merged_finditer(regexes, t, pos, endpos))
                kinds_run += 1
        if kinds_run > 1:
            out.sort(key=lambda m: (m.start(), -m.end()))
        return out

    def fullmatch(self, text: str) -> re.Match[str] | None:
        for kind in self.kinds:
            m = kind.whole().fullmatch(lowered(text) if kind.lower else text)
            if m is not None:
                return m
        return None

    def blank(self, text: str) -> tuple[str, bool]:
        """`text` with every match replaced by spaces; and whether any matched."""
        spans = [m.span() for m in self.finditer(text)]
        if not spans:
            return text, False
        chars = list(text)
        for a, b in spans:
            chars[a:b] = " " * (b - a)
        return "".join(chars), True

    def sub(self, repl, text: str) -> str:
        """Only blanking is supported: every match becomes spaces."""
        return self.blank(text)[0]


def compile_phrases(phrases: Iterable[str], *, bounded: bool = True) -> Matcher:
    return Matcher(phrases, bounded=bounded)


def term_key(text: str) -> str:
    """Spelling-independent key of a term ("Game-Changer" == "game changer")."""
    return re.sub(r"[\s\-'’]+", "", text.lower())


class GroupMatcher:
    """Several named phrase lists in one matcher; `key_of(match)` names the
    list a match came from (the first list, in the given order, holding it)."""
    __slots__ = ("matcher", "keys", "fallback")

    def __init__(self, groups: dict[str, Iterable[str]]):
        groups = {k: list(v) for k, v in groups.items()}
        self.matcher = Matcher([p for v in groups.values() for p in v])
        self.keys: dict[str, str] = {}
        for key, phrases in groups.items():
            for p in phrases:
                if p.startswith("cs:"):
                    p = p[3:]
                if not p.startswith(("re:", "re(")) and "*" not in p:
                    self.keys.setdefault(term_key(p), key)
        self.fallback = tuple((k, Matcher(v, bounded=False)) for k, v in groups.items())

    def key_of(self, m: re.Match[str] | str) -> str | None:
        text = m if isinstance(m, str) else m.group(0)
        key = self.keys.get(term_key(text))
        if key is not None:
            return key
        for k, matcher in self.fallback:
            if matcher.fullmatch(text):
                return k
        return None

    def finditer(self, text: str) -> list[tuple[re.Match[str], str]]:
        out = []
        for m in self.matcher.finditer(text):
            key = self.key_of(m)
            if key is not None:
                out.append((m, key))
        return out

    def search(self, text: str) -> re.Match[str] | None:
        return self.matcher.search(text)


def norm_term(text: str) -> str:
    """A matched term as reported: lower case, single spaces, straight quotes."""
    return re.sub(r"\s+", " ", text.strip().lower().replace("’", "'"))


# --------------------------------------------------------------------------
# compiled views, one per lexicon
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class HypeLexicon:
    terms: GroupMatcher               # category -> terms, heaviest category first
    weights: dict[str, float]         # category -> weight
    threshold: float
    hedge_sensitive: frozenset[str]   # terms ignored in a hedged sentence
    stats_sensitive: frozenset[str]   # terms ignored in a statistical context
    neutral: Matcher                  # spans that are never hype ("breakthrough therapy designation")
    stats_context: Matcher


@cache
def hype() -> HypeLexicon:
    lx = load("hype")
    tiers: dict[str, float] = lx["tiers"]
    cats = sorted(lx["category"], key=lambda c: -tiers[c["tier"]])
    return HypeLexicon(
        terms=GroupMatcher({c["name"]: c["terms"] for c in cats}),
        weights={c["name"]: float(tiers[c["tier"]]) for c in cats},
        threshold=float(lx["threshold"]),
        hedge_sensitive=frozenset(norm_term(t) for t in lx["context"]["hedge_sensitive"]),
        stats_sensitive=frozenset(norm_term(t) for t in lx["context"]["stats_sensitive"]),
        neutral=compile_phrases(lx["context"]["neutral"]),
        stats_context=compile_phrases(lx["context"]["stats_context"], bounded=False),
    )


@dataclass(frozen=True)
class SimpleLexicon:
    """A lexicon that is one list of phrases, plus phrases that cancel it."""
    pattern: Matcher
    exclude: Matcher


@cache
def _simple(name: str) -> SimpleLexicon:
    lx = load(name)
    return SimpleLexicon(compile_phrases(lx["phrases"]),
                         compile_phrases(lx.get("exclude", [])))


def calls_to_action() -> SimpleLexicon:
    return _simple("calls_to_action")


def hedges() -> SimpleLexicon:
    return _simple("hedges")


@dataclass(frozen=True)
class HedgeScope:
    """Hedge cues whose scope is the words after them ("may", "some patients")."""
    scoped: Matcher
    modals: frozenset[str]        # scoped cues whose subject comes before them
    not_after: re.Pattern[str]    # a scoped cue followed by these is no hedge ("may include")
    sensation: re.Pattern[str]    # "may feel ...": the rest of the sentence is in scope


@cache
def hedge_scope() -> HedgeScope:
    lx = load("hedges")
    adverbs = r"^(?:(?:also|still|then|even|sometimes|occasionally|further)\s+)*"
    return HedgeScope(
        scoped=compile_phrases(lx["scoped"]),
        modals=frozenset(norm_term(m) for m in lx["modals"]),
        not_after=re.compile(adverbs + phrases_regex(lx["not_after_scoped"]), re.IGNORECASE),
        sensation=re.compile(adverbs + phrases_regex(lx["sensation_verbs"]), re.IGNORECASE),
    )


@dataclass(frozen=True)
class TestimonialLexicon:
    first_person: Matcher    # "I", "my", "me"
    quoted: Matcher          # opens or closes a quotation, or carries an attribution
    staff: Matcher           # the speaker is the publisher's staff ("Dr.", "CEO")
    opinion: Matcher | None = None   # "I believe", "I don't think": a quoted opinion, not an experience
    signed: Matcher | None = None    # a quotation signed with a name after a dash: no "I" needed


@cache
def testimonials() -> TestimonialLexicon:
    t = load("hype")["testimonial"]
    return TestimonialLexicon(compile_phrases(t["first_person"]),
                              compile_phrases(t["quoted"], bounded=False),
                              compile_phrases(t["staff"]),
                              compile_phrases(t.get("opinion", [])),
                              compile_phrases(t.get("signed", []), bounded=False))


@dataclass(frozen=True)
class HedgeContext:
    """Context rules for hedges (hedges.toml, [context])."""
    effect_verbs: re.Pattern[str]       # "may reduce side effects": a hedged effect, risk words or not
    procedural_subjects: Matcher        # "the number of sessions may vary": a procedural step
    comparators: Matcher                # "conventional therapies may not work": another treatment's hedge
    boilerplate: Matcher                # forward-looking-statement boilerplate ...
    boilerplate_risk: Matcher           # ... hedges only where it states risks and uncertainties
    inference: Matcher                  # a finding read into a study's methods sentence ("suggested")


@cache
def hedge_context() -> HedgeContext:
    c = load("hedges").get("context", {})
    adverbs = r"^(?:(?:also|still|then|even|not|further|significantly|substantially|greatly)\s+)*"
    return HedgeContext(
        effect_verbs=re.compile(adverbs + phrases_regex(c.get("effect_verbs", [])), re.IGNORECASE),
        procedural_subjects=compile_phrases(c.get("procedural_subjects", [])),
        comparators=compile_phrases(c.get("comparators", [])),
        boilerplate=compile_phrases(c.get("boilerplate", [])),
        boilerplate_risk=compile_phrases(c.get("boilerplate_risk", [])),
        inference=compile_phrases(c.get("inference", [])),
    )


@dataclass(frozen=True)
class EvidenceContext:
    """Evidence appeals that need the document's context (evidence.toml, [web] and [results])."""
    web_appeals: Matcher        # appeals in web text only ("according to the company", "data show")
    web_exclude: Matcher        # ... spans that are no appeal ("according to your needs")
    statistic: Matcher          # a treatment result given as a number ("70% of patients improved")
    trial_result: Matcher       # a result against a control arm ("more than placebo")
    reference_headings: Matcher  # a heading that opens a reference list ("References")
    study_background: Matcher   # earlier work a study's background appeals to
    dissemination: Matcher      # a plan to publish, missing evidence: no appeal in a study


@cache
def evidence_context() -> EvidenceContext:
    lx = load("evidence")
    web, res = lx.get("web", {}), lx.get("results", {})
    return EvidenceContext(
        web_appeals=compile_phrases(web.get("appeals", [])),
        web_exclude=compile_phrases(web.get("exclude", [])),
        statistic=compile_phrases(res.get("statistic", []), bounded=False),
        trial_result=compile_phrases(res.get("trial_result", [])),
        reference_headings=compile_phrases(lx.get("reference_headings", [])),
        study_background=compile_phrases(lx.get("study_background", [])),
        dissemination=compile_phrases(lx.get("dissemination", [])),
    )


@dataclass(frozen=True)
class RiskContext:
    topics: Matcher           # risk words that only name a section ("Side Effects")
    methods: Matcher          # a study's methods sentence ("heart rate was monitored")
    results: Matcher          # ... that also counts the patients affected
    study_outcomes: Matcher   # safety outcomes a study's results report
    investor: Matcher | None = None      # securities boilerplate: an investor's risks, not a patient's


@cache
def risk_context() -> RiskContext:
    lx = load("risks")
    return RiskContext(compile_phrases(lx["topics"]), compile_phrases(lx["methods"]),
                       compile_phrases(lx["results"]),
                       investor=compile_phrases(lx.get("investor", [])),
                       study_outcomes=compile_phrases(lx.get("study_outcomes", [])))


@dataclass(frozen=True)
class RiskLexicon:
    pattern: Matcher
    denial: Matcher           # "no side effects": a safety claim, not a disclosure
    study_not_risks: Matcher  # risk as a probability of disease, in a study's report
    web_denial: Matcher | None = None   # denials only in web text ("with no adverse events")


@cache
def risks() -> RiskLexicon:
    lx = load("risks")
    return RiskLexicon(compile_phrases(lx["phrases"]), compile_phrases(lx["denial"]),
                       study_not_risks=compile_phrases(lx.get("study_not_risks", [])),
                       web_denial=compile_phrases(lx.get("web_denial", [])))


@dataclass(frozen=True)
class EvidenceLexicon:
    vague: Matcher
    journal_domains: tuple[str, ...]
    registry_domains: tuple[str, ...]
    pubmed_domains: tuple[str, ...]
    regulator_domains: tuple[str, ...]
    not_footnotes: frozenset[str] = frozenset()   # "covid19" is a name, not footnote 19

    @property
    def citable_domains(self) -> tuple[str, ...]:
        return (self.pubmed_domains + self.registry_domains + self.journal_domains
                + self.regulator_domains)


@cache
def evidence() -> EvidenceLexicon:
    lx = load("evidence")
    d = lx["domains"]
    return EvidenceLexicon(
        vague=compile_phrases(lx["vague_appeals"]),
        journal_domains=tuple(d["journals"]),
        registry_domains=tuple(d["registries"]),
        pubmed_domains=tuple(d["pubmed"]),
        regulator_domains=tuple(d["regulators"]),
        not_footnotes=frozenset(w.lower() for w in lx.get("not_footnotes", [])),
    )


@dataclass(frozen=True)
class ConditionLexicon:
    order: tuple[str, ...]
    mask: Matcher                       # mentions that name no condition
    steps: tuple[tuple[str, Matcher, bool], ...]  # (condition, pattern, masks its span)
    pain_generic: Matcher
    acute_context: Matcher
    chronic_generic: Matcher
    mesh: dict[str, str]
    non_response: Matcher | None = None      # with depression in one sentence: trd
    non_clinical: Matcher | None = None      # population: healthy volunteers, trainees
    patient_population: Matcher | None = None
    other_setting: Matcher | None = None     # anaesthesia, sedation, airway
    other_disease: Matcher | None = None     # a disease outside the vocabulary
    aim: Matcher | None = None               # a background sentence that states the study's aim
    measured: Matcher | None = None          # a methods sentence that lists measurements


@cache
def conditions() -> ConditionLexicon:
    lx = load("conditions")
    steps = tuple((s["condition"], compile_phrases(s["phrases"]), bool(s.get("consume", False)))
                  for s in lx["step"])
    for cond, _, _ in steps:
        if cond not in CONDITIONS:
            raise ValueError(f"conditions.toml: unknown condition {cond!r}")
    return ConditionLexicon(
        order=CONDITIONS,
        mask=compile_phrases(lx["not_a_condition"]),
        steps=steps,
        pain_generic=compile_phrases(lx["pain"]["generic"]),
        acute_context=compile_phrases(lx["pain"]["acute_context"]),
        chronic_generic=compile_phrases(lx["pain"]["chronic_generic"]),
        mesh={k.lower(): v for k, v in lx["mesh"].items()},
        non_response=compile_phrases(lx["trd_context"]["non_response"]),
        non_clinical=compile_phrases(lx["population"]["non_clinical"]),
        patient_population=compile_phrases(lx["population"]["patient_population"]),
        other_setting=compile_phrases(lx["population"]["other_setting"]),
        other_disease=compile_phrases(lx["population"]["other_disease"]),
        aim=compile_phrases(lx["population"]["aim"]),
        measured=compile_phrases(lx["population"]["measured"]),
    )


@dataclass(frozen=True)
class ClaimLexicon:
    priority: tuple[str, ...]
    cues: dict[str, Matcher]
    all_cues: GroupMatcher              # every cue, keyed by claim type (priority order)
    preferred_units: dict[str, tuple[str, ...]]
    not_cues: Matcher                   # look like cues, claim nothing ("has not improved")
    pair_terms: GroupMatcher            # type words that, coordinated, make two claims
    products: Matcher                   # the publisher's product codes ("NRX-101")
    generic_subjects: Matcher           # claim subjects beyond treatments.toml ("my")
    leading_pronoun: Matcher            # a sentence opening on "It", "This", "They"
    comparison_leads: Matcher           # "unlike", "than": another treatment as a yardstick
    not_claims: Matcher                 # sentences that make no claim ("in this article")
    second: GroupMatcher                # phrases making a second claim of their type
    comparative_result: Matcher         # a result against a control arm: efficacy before onset
    implied_subject: tuple[str, ...]    # types claimed without naming the treatment (cost)
    strict_units: tuple[str, ...]       # types that take no duration outside their preferred units
    pipeline: Matcher                   # R&D statements: only a regulatory claim counts
    evidence_units: tuple[str, ...] = ()  # sample sizes: a claim's amount of last resort
    offering: Matcher | None = None       # title verbs presenting the publisher's own treatment
    not_treatment: Matcher | None = None  # "ketamine clinics", "ketamine market": a business, no treatment
    organisation_words: Matcher | None = None   # capitalised words that make a name an organisation's
    treatment_name_words: Matcher | None = None  # words a treatment's own name is made of ("Infusion Therapy")
    providers: Matcher | None = None      # a provider or its staff as a sentence's subject ("the team")
    indication: Matcher | None = None     # efficacy cues that only name an indication ("treatment for")
    evaluative: Matcher | None = None     # words that make an indication a claim ("breakthrough treatment for")
    announcement: Matcher | None = None   # "announces the introduction of", "is now offering"
    clause_second: GroupMatcher | None = None   # strong cues that make a second claim in another clause
    business_amounts: Matcher | None = None     # amounts of a market or a financing, never a claim's


@cache
def claim_cues() -> ClaimLexicon:
    lx = load("claim_cues")
    priority = tuple(lx["priority"])
    if set(priority) != set(CLAIM_TYPES):
        raise ValueError("claim_cues.toml: priority must list every claim type once")
    return ClaimLexicon(
        priority=priority,
        cues={t: compile_phrases(lx["cues"][t]) for t in priority},
        all_cues=GroupMatcher({t: lx["cues"][t] for t in priority}),
        preferred_units={t: tuple(u) for t, u in lx["preferred_units"].items()},
        not_cues=compile_phrases(lx.get("not_cues", [])),
        pair_terms=GroupMatcher({t: lx.get("pairs", {}).get(t, []) for t in priority}),
        products=compile_phrases(lx.get("subject", {}).get("products", [])),
        generic_subjects=compile_phrases(lx.get("subject", {}).get("generic", [])),
        leading_pronoun=compile_phrases(lx.get("subject", {}).get("leading_pronoun", []),
                                        bounded=False),
        comparison_leads=compile_phrases(lx.get("subject", {}).get("comparison_leads", [])),
        not_claims=compile_phrases(lx.get("not_claims", [])),
        second=GroupMatcher({t: lx.get("second", {}).get(t, []) for t in priority}),
        comparative_result=compile_phrases(lx.get("comparative_result", [])),
        implied_subject=tuple(lx.get("implied_subject", [])),
        strict_units=tuple(lx.get("strict_units", [])),
        pipeline=compile_phrases(lx.get("pipeline", [])),
        evidence_units=tuple(lx.get("evidence_units", [])),
        offering=compile_phrases(lx.get("subject", {}).get("offering", [])),
        not_treatment=compile_phrases(lx.get("subject", {}).get("not_treatment", [])),
        organisation_words=compile_phrases(lx.get("subject", {}).get("organisation_words", [])),
        treatment_name_words=compile_phrases(lx.get("subject", {}).get("treatment_name_words", [])),
        providers=compile_phrases(lx.get("subject", {}).get("providers", [])),
        indication=compile_phrases(lx.get("indication", [])),
        evaluative=compile_phrases(lx.get("evaluative", [])),
        announcement=compile_phrases(lx.get("announcement", [])),
        clause_second=GroupMatcher({t: lx.get("clause_second", {}).get(t, []) for t in priority}),
        business_amounts=compile_phrases(lx.get("business_amounts", [])),
    )


@dataclass(frozen=True)
class QuantityLexicon:
    fractions: dict[str, float]
    ops: dict[str, Matcher]     # op -> phrases placed before a number
    time_units: dict[str, str]          # spelling -> canonical unit
    number_words: dict[str, int]
    count_nouns: dict[str, str] = field(default_factory=dict)   # spelling -> unit ("injection" -> "injections")
    scales: dict[str, float] = field(default_factory=dict)      # "million" -> 1e6
    dose_units: tuple[str, ...] = ()                            # "mg/kg", "µg/kg"
    measure_units: dict[str, str] = field(default_factory=dict)  # spelling -> unit ("mm Hg" -> "mmHg")
    durations: frozenset[str] = frozenset()                     # the canonical time units


def unit_key(spelling: str) -> str:
    """A unit as looked up: lower case, micro sign, no spaces ("mm Hg" -> "mmhg")."""
    return re.sub(r"\s+", "", spelling.lower().replace("μ", "µ"))


@cache
def quantities() -> QuantityLexicon:
    lx = load("quantities")
    return QuantityLexicon(
        fractions={norm_term(k): float(v) for k, v in lx["fractions"].items()},
        ops={op: compile_phrases(p) for op, p in lx["ops"].items()},
        time_units={k.lower(): v for k, v in lx["time_units"].items()},
        durations=frozenset(lx["time_units"].values()),
        number_words={k.lower(): int(v) for k, v in lx["number_words"].items()},
        count_nouns={k.lower(): v for k, v in lx.get("count_nouns", {}).items()},
        scales={k.lower(): float(v) for k, v in lx.get("scales", {}).items()},
        dose_units=tuple(lx.get("dose_units", [])),
        measure_units={unit_key(k): v for k, v in lx.get("measure_units", {}).items()},
    )


@dataclass(frozen=True)
class TreatmentLexicon:
    forms: tuple[tuple[str, Matcher], ...]   # (canonical, pattern), most specific first
    any_form: Matcher
    generic_subject: Matcher
    competitor: Matcher
    comparators: tuple[tuple[str, str, Matcher], ...]  # (name, type, pattern)
    comparison_lead: Matcher
    add_on_link: Matcher | None = None           # "added to", "+": both drugs in one arm
    coadministered_lead: Matcher | None = None   # "received" before "ketamine and propofol"
    alternatives: Matcher | None = None          # "or", "versus": two arms
    control_only_before: Matcher | None = None   # "only propofol"
    control_only_after: Matcher | None = None    # "propofol alone"
    diluent_lead: Matcher | None = None          # "diluted in" saline
    psychiatric_conditions: frozenset[str] = frozenset()
    any_comparator: GroupMatcher | None = None   # every comparator phrase, keyed by its index in `comparators`
    outside_psychiatry: dict[str, str] = field(default_factory=dict)  # comparator -> type


@cache
def treatments() -> TreatmentLexicon:
    lx = load("treatments")
    forms = tuple((k, compile_phrases(v)) for k, v in lx["forms"].items())
    comps = tuple((c["name"], c["type"], compile_phrases(c["phrases"]))
                  for c in lx["comparator"])
    return TreatmentLexicon(
        forms=forms,
        any_form=compile_phrases([p for v in lx["forms"].values() for p in v]),
        generic_subject=compile_phrases(lx["generic_subject"]),
        competitor=compile_phrases(lx["competitor"]),
        comparators=comps,
        comparison_lead=compile_phrases(lx["comparison_lead"], bounded=False),
        add_on_link=compile_phrases(lx["add_on_link"]),
        coadministered_lead=compile_phrases(lx["coadministered_lead"], bounded=False),
        alternatives=compile_phrases(lx["alternatives"], bounded=False),
        control_only_before=compile_phrases(lx["control_only_before"], bounded=False),
        control_only_after=compile_phrases(lx["control_only_after"], bounded=False),
        diluent_lead=compile_phrases(lx["diluent_lead"], bounded=False),
        psychiatric_conditions=frozenset(lx["comparator_context"]["psychiatric_conditions"]),
        any_comparator=GroupMatcher({str(k): c["phrases"] for k, c in enumerate(lx["comparator"])}),
        outside_psychiatry=dict(lx["comparator_context"]["outside_psychiatry"]),
    )


@dataclass(frozen=True)
class MeasureLexicon:
    names: GroupMatcher               # canonical measure name -> phrases


@cache
def measures() -> MeasureLexicon:
    return MeasureLexicon(GroupMatcher(load("measures")["measures"]))


@dataclass(frozen=True)
class DesignLexicon:
    publication_types: tuple[tuple[str, str], ...]   # (publication type, design), by priority
    text_cues: tuple[tuple[str, Matcher], ...]  # design by priority
    negated_randomized: Matcher
    animal: Matcher
    animal_subjects: Matcher    # animals counted as the subjects ("Thirty-five hamsters")
    human: Matcher
    crossover: Matcher
    sections: dict[str, tuple[str, ...]]
    protocol: Matcher | None = None                     # a trial protocol: nobody randomized yet
    protocol_title: Matcher | None = None
    section_cues: dict[str, Matcher] = field(default_factory=dict)  # role -> cue (unlabelled abstracts)
    own_randomization: Matcher | None = None   # the abstract randomized its own participants


@cache
def design() -> DesignLexicon:
    lx = load("design")
    pts = tuple((k.lower(), v) for k, v in lx["publication_types"].items())
    cues = tuple((c["design"], compile_phrases(c["phrases"])) for c in lx["cue"])
    for d in [v for _, v in pts] + [d for d, _ in cues]:
        if d not in DESIGNS:
            raise ValueError(f"design.toml: unknown design {d!r}")
    return DesignLexicon(
        publication_types=pts,
        text_cues=cues,
        negated_randomized=compile_phrases(lx["negated_randomized"]),
        animal=compile_phrases(lx["animal"]),
        animal_subjects=compile_phrases(lx["animal_subjects"]),
        human=compile_phrases(lx["human"]),
        crossover=compile_phrases(lx["crossover"]),
        sections={k: tuple(v) for k, v in lx["sections"].items()},
        protocol=compile_phrases(lx["protocol"]),
        protocol_title=compile_phrases(lx["protocol_title"]),
        section_cues={k: compile_phrases(v) for k, v in lx["section_cues"].items()},
        own_randomization=compile_phrases(lx["own_randomization"]),
    )


@dataclass(frozen=True)
class OutcomeLexicon:
    kinds: GroupMatcher               # outcome kind -> cue words
    adverse: Matcher
    good_outcome: Matcher
    bad_outcome: Matcher
    no_difference: Matcher
    benefit: Matcher
    harm: Matcher
    significant: Matcher
    baseline: Matcher
    primary: Matcher
    primary_rest: Matcher
    definition_percent: Matcher
    comparative: Matcher | None = None       # "lower in the ketamine group than in controls"
    concessive: Matcher | None = None        # "Despite X, ..." (X is not the finding)
    clause_break: Matcher | None = None      # "; ", ", but", "whereas"
    within_group: Matcher | None = None      # "improved in both groups", "compared with baseline"
    between_group: Matcher | None = None     # "between the groups", "than", "versus placebo"
    group_clause_break: Matcher | None = None


@cache
def outcomes() -> OutcomeLexicon:
    lx = load("outcomes")
    return OutcomeLexicon(
        kinds=GroupMatcher(lx["kinds"]),
        adverse=compile_phrases(lx["adverse_events"]),
        good_outcome=compile_phrases(lx["good_outcome"]),
        bad_outcome=compile_phrases(lx["bad_outcome"]),
        no_difference=compile_phrases(lx["direction"]["no_difference"]),
        benefit=compile_phrases(lx["direction"]["benefit"]),
        harm=compile_phrases(lx["direction"]["harm"]),
        significant=compile_phrases(lx["direction"]["significant"]),
        baseline=compile_phrases(lx["baseline"]),
        primary=compile_phrases(lx["primary"]),
        primary_rest=compile_phrases(lx["primary_rest"]),
        definition_percent=compile_phrases(lx["definition_percent"], bounded=False),
        comparative=compile_phrases(lx["direction"]["comparative"]),
        concessive=compile_phrases(lx["concessive"], bounded=False),
        clause_break=compile_phrases(lx["clause_break"], bounded=False),
        within_group=compile_phrases(lx["within_group"]),
        between_group=compile_phrases(lx["between_group"]),
        group_clause_break=compile_phrases(lx["group_clause_break"], bounded=False),
    )


@dataclass(frozen=True)
class FindingsLexicon:
    not_findings: Matcher                 # results sentences that report no finding (enrolment, baseline, ...)
    types: dict[str, Matcher]             # onset, durability, cost, then (after efficacy_first) safety, mechanism, procedure
    efficacy_first: Matcher
    harms_whatever_the_title: Matcher     # "adverse events", "tolerability": safety even in a safety trial
    result_cues: Matcher                  # a comparison or a test (outcomes.toml's direction lists)
    concentration_of: Matcher             # "0.5% ropivacaine": a concentration, not a result


@cache
def findings() -> FindingsLexicon:
    lx = load("findings")
    for t in lx["types"]:
        if t not in CLAIM_TYPES:
            raise ValueError(f"findings.toml: unknown claim type {t!r}")
    return FindingsLexicon(
        not_findings=compile_phrases(lx["not_findings"]),
        types={t: compile_phrases(v) for t, v in lx["types"].items()},
        efficacy_first=compile_phrases(lx["efficacy_first"]),
        harms_whatever_the_title=compile_phrases(lx["harms_whatever_the_title"]),
        result_cues=compile_phrases([p for key in ("significant", "comparative", "no_difference")
                                     for p in load("outcomes")["direction"][key]]),
        concentration_of=compile_phrases(lx["concentration_of"]),
    )


@dataclass(frozen=True)
class SentenceLexicon:
    abbreviations: frozenset[str]        # never end a sentence ("dr", "e.g", "vs")
    before_number: frozenset[str]        # abbreviations only before a number ("no", "fig")
    initial_exceptions: frozenset[str]   # "group B." ends a sentence, "J. Smith" does not
    debris_line: re.Pattern[str]   # a whole line that is page debris
    debris_contains: Matcher       # a line containing this is debris


@cache
def sentences() -> SentenceLexicon:
    lx = load("sentences")
    d = lx["debris"]
    return SentenceLexicon(
        abbreviations=frozenset(a.lower().rstrip(".") for a in lx["abbreviations"]["always"]),
        before_number=frozenset(a.lower().rstrip(".") for a in lx["abbreviations"]["before_number"]),
        initial_exceptions=frozenset(w.lower() for w in lx["abbreviations"]["initial_exceptions"]),
        debris_line=re.compile(
            r"^(?:" + "|".join(f"(?:{phrases_regex([p], bounded=False)})" for p in d["lines"]) + r")$",
            re.IGNORECASE),
        debris_contains=compile_phrases(d["contains"]),
    )


# Every compiled view, one call each.
VIEWS = (hype, calls_to_action, hedges, risks, evidence, conditions, claim_cues,
         quantities, treatments, measures, design, outcomes, findings, sentences,
         hedge_scope, testimonials, risk_context, hedge_context, evidence_context)


def preload() -> None:
    """Load and compile every lexicon (e.g. before timing or forking)."""
    for fn in VIEWS:
        fn()
