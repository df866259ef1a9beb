"""A payer's name as a bank prints it, compared with the names a company
knows.

``CARPATI DISTRIBUTIE S.R.L.``, ``SC Carpati Distributie SRL`` and
``Carpați Distribuție SRL`` are one name: case, diacritics, punctuation and
the legal form (SRL, SA, PFA, GmbH ...) aside.  A bank also adds words (a
branch: ``CARPATI DISTRIBUTIE SRL SUC CLUJ``), orders a person's names its
own way (``POPESCU ION``) and cuts a long name at its field's width
(``CARPATI DISTRIB``): :class:`NameIndex` recognises every partner of the
company -- customers and their contacts, invoiced or not -- in such a name.
"""

import bisect
import re
from collections import Counter, defaultdict

from .bank_refs import fold

#: Legal forms and their abbreviations, written in a name or not.
LEGAL_FORMS = frozenset(
    {
        "SC",
        "SRL",
        "SRLD",
        "SA",
        "SCA",
        "SCS",
        "SNC",
        "PFA",
        "II",
        "IF",
        "GMBH",
        "AG",
        "LTD",
        "LLC",
        "INC",
        "SAS",
        "SARL",
        "BV",
        "NV",
        "KFT",
        "SPA",
    }
)


#: The fewest letters a known name has to be recognised inside a longer
#: one (a contact called "Ion" is not recognised in every "ION ...").
MIN_LETTERS = 4
#: The fewest characters of a printed name read as a longer name cut off.
MIN_CUT = 10


def words(name):
    """The words of ``name`` that tell it apart, in order: folded, the
    legal form left out."""
    # "S.R.L." and "S R L" are one word: join single letters first
    text = re.sub(r"\b([A-Z])[.\s]+(?=[A-Z]\b)", r"\1", fold(name or ""))
    return tuple(
        word for word in re.findall(r"[A-Z0-9]+", text) if word not in LEGAL_FORMS
    )


def key(name):
    """What two spellings of one name have in common, or ``None`` when
    nothing is left (a name that is only a legal form)."""
    return " ".join(words(name)) or None


class NameIndex:
    """The names a company knows, to recognise who a bank line's payer is.

    A known name is recognised in a printed one when all its words are
    there (in any order, with words added: a branch, a person's names the
    other way round), or when the printed name is the known one cut off (a
    long name at the bank's field width).  Where several known names fit,
    those that account for most of the printed words win: ``ION POPESCU
    CONSTRUCT`` is the company of that name, not a contact called Ion
    Popescu.
    """

    def __init__(self, names):
        """``names``: ``{partner id: (name, commercial partner id)}``."""
        # each name is filed under its rarest word: a printed name is only
        # compared with the few names that share that word with it, however
        # many names share the common ones ("SERVICII", "COMERCIALE")
        self.by_rarest = defaultdict(list)
        self.texts = []  # (joined words, word count, commercial id), sorted
        known_names = []
        seen = Counter()
        for _partner, (name, commercial) in names.items():
            known = words(name)
            if sum(map(len, known)) < MIN_LETTERS:
                continue
            known_names.append((known, commercial))
            seen.update(set(known))
        for known, commercial in known_names:
            rarest = min(known, key=lambda word: (seen[word], -len(word), word))
            self.by_rarest[rarest].append((frozenset(known), len(known), commercial))
            self.texts.append((" ".join(known), len(known), commercial))
        self.texts.sort()

    def recognise(self, printed):
        """The commercial partners ``printed`` names (a set: empty when it
        names nobody the company knows, several when it fits them alike)."""
        shown = words(printed)
        if not shown:
            return frozenset()
        # commercial id -> (printed words it accounts for, whole words)
        found = defaultdict(lambda: (0, 0))
        present = set(shown)
        for word in present:
            for known, count, commercial in self.by_rarest.get(word, ()):
                if known <= present:
                    found[commercial] = max(found[commercial], (count, 1))
        text = " ".join(shown)
        if len(text) >= MIN_CUT:
            # a name cut off: less certain than one read whole
            start = bisect.bisect_left(self.texts, (text,))
            for known_text, _count, commercial in self.texts[start:]:
                if not known_text.startswith(text):
                    break
                found[commercial] = max(found[commercial], (len(shown), 0))
        if not found:
            return frozenset()
        best = max(found.values())
        return frozenset(pid for pid, count in found.items() if count == best)

    def partner(self, printed):
        """The one commercial partner ``printed`` names, or ``None``."""
        recognised = self.recognise(printed)
        return next(iter(recognised)) if len(recognised) == 1 else None
