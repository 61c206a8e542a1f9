"""The benchmark's table: medians, and every Transfo figure as a ratio to vanilla Pelican."""

from __future__ import annotations

from .bench import BenchResult
from .stats import ratio

# Targets of issue 10, as ratios to vanilla Pelican measured in the same run.
TARGETS = {"full": 0.6, "noop": 0.05, "edit": 0.1, "preview": 0.1}
MEMORY_TARGET = 2.0


def rows(result: BenchResult) -> list[dict]:
    """One dict per scenario: medians, ratios to vanilla, files written, target."""
    base = result.scenarios["vanilla"]
    wall, cpu, rss = base.median("wall"), base.median("cpu"), base.median("tree_rss_mb")
    table = []
    for key, scenario in result.scenarios.items():
        low, high = scenario.spread("wall")
        wall_ratio, target = ratio(scenario.median("wall"), wall), TARGETS.get(key)
        row = {
            "key": key,
            "label": scenario.label,
            "runs": len(scenario.measures),
            "wall": scenario.median("wall"),
            "wall_min": low,
            "wall_max": high,
            "wall_ratio": wall_ratio,
            "cpu": scenario.median("cpu"),
            "cpu_ratio": ratio(scenario.median("cpu"), cpu),
            "rss_mb": scenario.median("tree_rss_mb"),
            "rss_ratio": ratio(scenario.median("tree_rss_mb"), rss),
            "maxrss_mb": scenario.median("maxrss_mb"),
            "files_written": sorted(scenario.touched)[len(scenario.touched) // 2] if scenario.touched else None,
            "files_total": scenario.total_files or None,
            "files_sample": scenario.touched_sample,
            "target": target,
        }
        row["target_met"] = None if target is None else wall_ratio <= target
        table.append(row)
    return table


def as_dict(result: BenchResult) -> dict:
    table = rows(result)
    memory = max(row["rss_ratio"] for row in table if row["key"] != "vanilla")
    return {
        "n": result.n,
        "runs": result.runs,
        "cpus": result.cpus,
        "corpus_digest": result.digest,
        "corpus": {"articles": len(result.corpus.articles), "images": len(result.corpus.images),
                   **{kind: len(files) for kind, files in result.corpus.extra.items()}},
        "skipped_kinds": result.corpus.skipped_kinds,
        "plugins": result.plugins,
        "overrides": result.overrides,
        "load_average": result.load,
        "preview_modes": result.preview_modes,
        "preview_watched": result.preview_watched,
        "preview_first": result.preview_first,
        "scenarios": table,
        "memory_ratio": memory,
        "memory_target_met": memory <= MEMORY_TARGET,
    }


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("oui" if met else "NON")


def markdown(data: dict) -> str:
    """The table as Markdown, for the terminal and docs/performance.md."""
    corpus = ", ".join(f"{count} {kind}" for kind, count in data["corpus"].items())
    lines = [
        f"N = {data['n']} ({corpus}), {data['runs']} passage(s) par scénario, "
        f"{data['cpus']} cœur(s), corpus {data['corpus_digest']}, charge de la machine "
        f"{' → '.join(f'{v:.1f}' for v in data['load_average'])}"
        + (f", réglages {' '.join(data['overrides'])}" if data["overrides"] else "") + ".",
        "",
        "| Scénario | Temps médian (s) | × Pelican | CPU (s) | × Pelican | Mémoire max (Mo) | × Pelican "
        "| Fichiers écrits | Cible | Atteinte |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for row in data["scenarios"]:
        written = "" if row["files_written"] is None else f"{row['files_written']} / {row['files_total']}"
        target = "" if row["target"] is None else f"≤ {row['target']}"
        lines.append(
            f"| {row['label']} | {row['wall']:.2f} | {row['wall_ratio']:.2f} | {row['cpu']:.2f} | "
            f"{row['cpu_ratio']:.2f} | {row['rss_mb']:.0f} | {row['rss_ratio']:.2f} | {written} | "
            f"{target} | {_verdict(row['target_met'])} |"
        )
    lines += ["", f"Mémoire : au plus {data['memory_ratio']:.2f} × Pelican (cible ≤ {MEMORY_TARGET}) : "
              f"{_verdict(data['memory_target_met'])}."]
    if data["skipped_kinds"]:
        lines.append("Types absents du corpus : " + "; ".join(
            f"{kind} ({why})" for kind, why in data["skipped_kinds"].items()) + ".")
    if data.get("preview_modes"):
        watched = data.get("preview_watched") or [False] * len(data["preview_modes"])
        lines.append("Aperçu résident, construction de chaque modification : " + ", ".join(
            {"bodies": "textes seuls", "full": "complète"}.get(mode, mode)
            + (" (sortie suivie par inotify)" if seen else " (sortie parcourue)")
            for mode, seen in zip(data["preview_modes"], watched, strict=False)) + ".")
    if data.get("preview_first") is not None:
        lines.append(f"Aperçu résident, première modification après la construction complète (non comptée) : "
                     f"{data['preview_first']:.2f} s.")
    edit = next((row for row in data["scenarios"] if row["key"] == "edit"), None)
    if edit and edit["files_sample"]:
        lines.append("Fichiers réécrits après la modification d'un article (extrait) : "
                     + ", ".join(edit["files_sample"]) + ".")
    return "\n".join(lines) + "\n"
