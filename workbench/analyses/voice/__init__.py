"""Voice of the customer: contact reasons and sentiment from the texts customers write.

Offline: the language detector, stop words, stemmers and lexicon ship inside their packages.
"""

from workbench.analyses.voice.links import Said, said_at
from workbench.analyses.voice.summary import VoiceOfCustomer, reasons

__all__ = ["Said", "VoiceOfCustomer", "reasons", "said_at"]
