"""Every trouble article of the offline mirror names a misbehaviour the mirror knows."""

from mirror.content import TROUBLE_KINDS
from mirror.misbehaviour import MISBEHAVIOURS


def test_every_trouble_kind_has_its_misbehaviour():
    assert set(TROUBLE_KINDS) == set(MISBEHAVIOURS)
