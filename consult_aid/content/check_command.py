"""Check pack files and print what is wrong, for a clinician editing a pack.

The app's command line offers this as ``consult-aid content check FILE...``;
``python -m consult_aid.content.check_command FILE...`` does the same.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from consult_aid.content.loader import PackError, load_pack_file


def run_check(paths: list[Path], out: TextIO) -> int:
    """Check every file; print each problem, or a line saying the file is good.

    Returns:
        0 when every file is a valid pack, 1 otherwise (also when no file is given).
    """
    if not paths:
        print("no pack files given", file=out)
        return 1
    status = 0
    for path in paths:
        try:
            pack = load_pack_file(path)
        except PackError as error:
            status = 1
            for problem in error.problems:
                print(problem, file=out)
            continue
        topics = sum(len(section.topics) for section in pack.sections)
        print(f"{path}: OK, pack {pack.id} version {pack.info.version}, {topics} topics", file=out)
    return status


def main(argv: list[str] | None = None) -> int:
    """Check the files named on the command line."""
    args = sys.argv[1:] if argv is None else argv
    return run_check([Path(arg) for arg in args], sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
