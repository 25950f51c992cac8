"""Register clients: one module per register (its sections, its wire-to-type mapping), behind
one front door. The composition root builds `Registers` once; each GraphQL request takes a
`RegisterSession`, which batches (DataLoader) and caches (aiocache) the calls.

Knows nothing of policies: the caller only asks for categories the policy allowed.
"""

from gateway.resolvers.errors import RegisterUnavailable
from gateway.resolvers.registers import Registers, RegisterSession

__all__ = ["RegisterSession", "RegisterUnavailable", "Registers"]
