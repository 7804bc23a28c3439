"""The bounds of template renders (steps, CPU time, memory, value sizes), for code outside
the template engine: the op-runner's render workers and its JMESPath kinds."""

from raikoo_common.workflow._budget import (
    SCHEDULER_LIMITS,
    BoundExceeded,
    RenderLimits,
    render_budget,
)

__all__ = ["SCHEDULER_LIMITS", "BoundExceeded", "RenderLimits", "render_budget"]
