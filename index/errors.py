"""The domain errors of the library, one tree under :class:`BriefbotError`.

::

    BriefbotError
    ├── InputError              a report or question we cannot use
    │   ├── EmptyInput          nothing but white space
    │   ├── BinaryInput         bytes that are not text
    │   ├── UndecodableInput    text in an encoding we cannot read
    │   ├── MalformedInput      broken JSON, a line without text ...
    │   ├── UnsupportedFormat   a file type we do not read
    │   └── EmptyQuestion       a question with no words in it
    │       └── VagueQuestion   one whose words name nothing to look for ("how many?")
    ├── FetchError              getting a URL did not work
    │   ├── FetchRefused        the URL or the address it resolves to is not allowed
    │   ├── FetchTooLarge       the body passed the byte cap
    │   ├── FetchTimeout        the overall deadline passed
    │   ├── FetchBadType        a content type we do not read
    │   └── FetchFailed         HTTP error status, too many redirects, connection error
    ├── StoreError              the data directory cannot be used
    │   └── NoIndex             the data directory holds no index (yet)
    └── ModelError              the embedding model cannot be loaded

``bot/`` turns each into a short sentence for the user; the message of every error here is
already written for a person to read.
"""

from __future__ import annotations


class BriefbotError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(BriefbotError):
    """A report or a question that cannot be used as it is."""


class EmptyInput(InputError):
    """The input holds nothing but white space."""


class BinaryInput(InputError):
    """The input is binary data, not text."""


class UndecodableInput(InputError):
    """The input is not valid text in any encoding we try."""


class MalformedInput(InputError):
    """The input is text but not of the shape its format needs."""


class UnsupportedFormat(InputError):
    """The input's format is not one we read."""


class EmptyQuestion(InputError):
    """A question with no words in it."""


class VagueQuestion(EmptyQuestion):
    """A question whose words name nothing to look for ("how many?", "who is he?")."""


class FetchError(BriefbotError):
    """Fetching a URL did not give a usable document."""


class FetchRefused(FetchError):
    """The URL, its scheme or an address it resolves to is not allowed."""


class FetchTooLarge(FetchError):
    """The response body is larger than the byte cap."""


class FetchTimeout(FetchError):
    """The fetch did not finish before its deadline."""


class FetchBadType(FetchError):
    """The response has a content type we do not read."""


class FetchFailed(FetchError):
    """An HTTP error status, a connection error, or too many redirects."""


class StoreError(BriefbotError):
    """The data directory or its database cannot be used."""


class StoreBusy(StoreError):
    """The database's write lock stayed taken (another writer, in this process or another)."""


class NoIndex(StoreError):
    """The data directory does not exist or holds no index; only ingesting creates one."""


class ModelError(BriefbotError):
    """The embedding model cannot be loaded."""
