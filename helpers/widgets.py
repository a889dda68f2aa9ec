"""ipywidgets explorers that also leave a static figure where no widget frontend runs.

Every explorer here is displayed through :func:`with_static_fallback`: the
output carries both the live widget and a PNG of its initial state. JupyterLab,
Notebook 7 and VS Code pick the widget; a rendered HTML page, a static slide
deck or a viewer without widget support shows the PNG instead.
"""

from __future__ import annotations

import base64
import io


def figure_png(fig) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (so it is not shown twice)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


class with_static_fallback:  # noqa: N801  (reads as a function at the call site)
    """Display ``widget`` live, with ``fig`` (a matplotlib figure) as the static fallback."""

    def __init__(self, widget, fig):
        self.widget = widget
        self.png = figure_png(fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):  # (data, metadata)
            data, metadata = bundle
        else:
            data, metadata = bundle, {}
        data = dict(data)
        data["image/png"] = base64.b64encode(self.png).decode("ascii")
        data["text/plain"] = "(interactive widget; the figure shows its initial state)"
        return data, metadata
