"""Write every workshop notebook and exercise in fi, sv and en, and voila.json's kernel pools.

    python tools/make_notebooks.py

The cells live in each workshop's ``cells.py`` (and the start notebook's in ``kit/cells.py``);
this script writes them out with :func:`kit.cells.write_all` and puts the registry's app pools
into ``voila.json`` (:func:`kit.serve.pools`). Tests fail when the committed files differ.
"""

from __future__ import annotations

import json

from kit import cells, paths, serve


def write_voila_config() -> None:
    """Update the kernel pools in voila.json from the workshop registry."""
    config = json.loads(serve.CONFIG.read_text(encoding="utf-8"))
    config["VoilaKernelManager"]["kernel_pools_config"] = serve.pools()
    serve.CONFIG.write_text(
        json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    for path in cells.write_all():
        print(paths.relative(path))
    write_voila_config()
    print(paths.relative(serve.CONFIG))
