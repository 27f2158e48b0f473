"""Papermill support for the SwiftGRPO kernel.

Papermill writes injected parameters with a per-language translator and has no entry point for
new ones, so this module registers a Swift translator and then runs papermill's own CLI or API:

    python python/swiftgrpo_papermill.py IN.ipynb OUT.ipynb -p alpha 0.5 -k swift-grpo

or, from Python, `import swiftgrpo_papermill; swiftgrpo_papermill.execute_notebook(...)`.
The injected cell reads `// Parameters` then one `let name = value` per parameter.
"""
import math
import sys

from papermill.translators import Translator, papermill_translators


class SwiftTranslator(Translator):
    """Python values as Swift literals."""

    @classmethod
    def translate_none(cls, val):
        return "nil"

    @classmethod
    def translate_escaped_str(cls, str_val):
        escaped = (
            str(str_val).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        )
        return f'"{escaped}"'

    @classmethod
    def translate_bool(cls, val):
        return "true" if val else "false"

    @classmethod
    def translate_int(cls, val):
        return str(val)

    @classmethod
    def translate_float(cls, val):
        if math.isnan(val):
            return "Double.nan"
        if math.isinf(val):
            return "Double.infinity" if val > 0 else "-Double.infinity"
        return repr(float(val))

    @classmethod
    def translate_dict(cls, val):
        if not val:
            return "[:]"
        return "[" + ", ".join(f"{cls.translate(k)}: {cls.translate(v)}" for k, v in val.items()) + "]"

    @classmethod
    def translate_list(cls, val):
        return "[" + ", ".join(cls.translate(v) for v in val) + "]"

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        return f"let {name} = {str_val}"


def register():
    """Makes papermill translate parameters for the `swift` language and the `swift-grpo` kernel."""
    papermill_translators.register("swift", SwiftTranslator)
    papermill_translators.register("swift-grpo", SwiftTranslator)


def execute_notebook(*args, **kwargs):
    """`papermill.execute_notebook` with the Swift translator registered."""
    import papermill

    register()
    return papermill.execute_notebook(*args, **kwargs)


def main(argv=None):
    register()
    from papermill.cli import papermill as cli

    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="swiftgrpo-papermill")


if __name__ == "__main__":
    main()
