"""The benchmark's table: medians, every Transfo figure as a ratio to vanilla Pelican, the targets."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .bench import BenchResult
from .stats import median_details, ratio


@dataclass(frozen=True)
class Target:
    limit: float
    unit: str  # "×": ratio to the same run's vanilla Pelican; "s": seconds

    def met(self, seconds: float, wall_ratio: float) -> bool:
        return (wall_ratio if self.unit == "×" else seconds) <= self.limit


# Targets of issue 21, on the median wall time.
TARGETS = {
    "full": Target(1.5, "×"),  # image cache warm, every other cache and the output empty
    "noop": Target(0.05, "×"),
    "preview": Target(1.0, "s"),  # any single-file change visible within 1 s
    "preview-header": Target(1.0, "s"),
    "preview-title": Target(1.0, "s"),
    "preview-new": Target(1.0, "s"),
    "preview-delete": Target(1.0, "s"),
    "publish-full": Target(60.0, "s"),  # gate included
    "publish-edit": Target(10.0, "s"),  # edit to live
}
MEMORY_TARGET = 3.0  # peak PSS of the process tree, builds only, × vanilla
SCALE_TARGET = 1.1  # time at k × N at most 1.1 k × the time at N (11× from 2,000 to 20,000)
SCALED = ("vanilla", "full", "publish-full")  # scenarios compared by --scale-from


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
            "target": target.limit if target else None,
            "target_unit": target.unit if target else None,
            "details": median_details(scenario.details),
        }
        row["target_met"] = None if target is None else target.met(scenario.median("wall"), wall_ratio)
        table.append(row)
    return table


def image_cost(table: list[dict]) -> dict | None:
    """The image step (derivatives and share cards) from a cold cache: cold minus warm build."""
    by_key = {row["key"]: row for row in table}
    if "full-cold" not in by_key or "full" not in by_key:
        return None
    seconds = by_key["full-cold"]["wall"] - by_key["full"]["wall"]
    return {"seconds": seconds, "ratio": ratio(seconds, by_key["vanilla"]["wall"]),
            "cpu": by_key["full-cold"]["cpu"] - by_key["full"]["cpu"]}


def scale(data: dict, earlier: dict) -> dict:
    """This run against an earlier one at a smaller N: time ratios next to their linear limit."""
    factor = data["n"] / earlier["n"]
    before = {row["key"]: row for row in earlier["scenarios"]}
    limit = SCALE_TARGET * factor
    compared = {}
    for row in data["scenarios"]:
        if row["key"] in SCALED and row["key"] in before:
            growth = ratio(row["wall"], before[row["key"]]["wall"])
            compared[row["key"]] = {"wall": row["wall"], "earlier_wall": before[row["key"]]["wall"],
                                    "growth": growth,
                                    "target_met": None if row["key"] == "vanilla" else growth <= limit}
    return {"n": data["n"], "earlier_n": earlier["n"], "factor": factor, "limit": limit, "scenarios": compared}


def as_dict(result: BenchResult, earlier: dict | None = None) -> dict:
    """Every figure of the run, as saved by `--json`; `earlier`: a saved run at a smaller N."""
    table = rows(result)
    builds = [row for row in table if row["key"] != "vanilla" and not row["key"].startswith("publish-")]
    memory = max((row["rss_ratio"] for row in builds), default=float("nan"))
    data = {
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
        "preview_settled": result.preview_settled,
        "preview_rest_built": result.preview_rest_built,
        "preview_rest_rendered": result.preview_rest_rendered,
        "preview_pages": result.preview_pages,
        "publish_report": result.publish_report,
        "scenarios": table,
        "image_cost": image_cost(table),
        "memory_ratio": memory,
        "memory_target": MEMORY_TARGET,
        "memory_target_met": memory <= MEMORY_TARGET,
    }
    if earlier:
        data["scale"] = scale(data, earlier)
    return data


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("oui" if met else "NON")


def _target(row: dict) -> str:
    if row["target"] is None:
        return ""
    return f"≤ {row['target']:g} ×" if row["target_unit"] == "×" else f"≤ {row['target']:g} s"


def markdown(data: dict) -> str:
    """The table as Markdown, for the terminal and docs/performance.md."""
    corpus = ", ".join(f"{count} {kind}" for kind, count in data["corpus"].items())
    lines = [
        f"N = {data['n']} ({corpus}), {data['runs']} passage(s) par scénario de construction, "
        f"{data['cpus']} cœur(s), corpus {data['corpus_digest']}, charge de la machine "
        f"{' → '.join(f'{v:.1f}' for v in data['load_average'])}"
        + (f", réglages {' '.join(data['overrides'])}" if data["overrides"] else "") + ".",
        "",
        "| Scénario | Temps médian (s) | × Pelican | Cible | Tenue | CPU (s) | × Pelican "
        "| Mémoire max (Mo) | × Pelican | Fichiers écrits |",
        "|---|---:|---:|---:|:-:|---:|---:|---:|---:|---:|",
    ]
    for row in data["scenarios"]:
        written = "" if row["files_written"] is None else f"{row['files_written']} / {row['files_total']}"
        label = row["label"] + (f" ({row['runs']} passage(s))" if row["runs"] != data["runs"] else "")
        lines.append(
            f"| {label} | {row['wall']:.2f} | {row['wall_ratio']:.2f} | {_target(row)} | "
            f"{_verdict(row['target_met'])} | {row['cpu']:.2f} | {row['cpu_ratio']:.2f} | "
            f"{row['rss_mb']:.0f} | {row['rss_ratio']:.2f} | {written} |"
        )
    lines.append("")
    images = data.get("image_cost")
    if images:
        lines.append(f"Images (dérivés et cartes de partage) depuis un cache vide : {images['seconds']:.2f} s "
                     f"({images['ratio']:.2f} × Pelican ; CPU {images['cpu']:.2f} s), écart entre les "
                     "constructions cache des images vide et plein.")
    lines.append(f"Mémoire des constructions (somme des PSS de l'arbre de processus, relevée toutes les 20 ms "
                 f"au moins) : au plus {data['memory_ratio']:.2f} × Pelican (cible ≤ {data['memory_target']:g}) : "
                 f"{_verdict(data['memory_target_met'])}. Les publications comptent aussi Java, Node et Chromium "
                 "du contrôle de qualité : leur mémoire est donnée sans cible.")
    for row in data["scenarios"]:
        if row["details"]:
            lines.append(f"{row['label']}, détail donné par `invoke publish --report` (médianes) : " + ", ".join(
                f"{name} {round(value, 2):g}" for name, value in row["details"].items()) + ".")
    if any(row["key"].startswith("publish-") for row in data["scenarios"]) and not data.get("publish_report"):
        lines.append("`invoke publish` ne donne pas encore le détail de son temps (`--report`) : total seulement.")
    if data.get("scale"):
        lines += _scale_lines(data["scale"])
    if data["skipped_kinds"]:
        lines.append("Types absents du corpus : " + "; ".join(
            f"{kind} ({why})" for kind, why in data["skipped_kinds"].items()) + ".")
    if data.get("preview_modes"):
        watched = data.get("preview_watched") or [False] * len(data["preview_modes"])
        lines.append("Aperçu résident, construction de chaque modification : " + ", ".join(
            {"bodies": "textes seuls", "templates": "pages de gabarits modifiés",
             "statics": "fichiers statiques du thème seuls", "full": "complète",
             "page": "la page d'abord, le reste derrière"}.get(mode, mode)
            + (" (sortie suivie par inotify)" if seen else " (sortie parcourue)")
            for mode, seen in zip(data["preview_modes"], watched, strict=False)) + ".")
    if data.get("preview_settled"):
        lines.append("Aperçu résident, index de recherche et contrôle des fuites terminés après l'affichage "
                     f"de la page (médiane, en plus) : {statistics.median(data['preview_settled']):.2f} s.")
    rendered_behind = data.get("preview_rest_rendered") or {}
    for scenario, seconds in (data.get("preview_rest_built") or {}).items():
        pages = rendered_behind.get(scenario)
        lines.append(f"Aperçu résident, {scenario} : reste du site reconstruit derrière la page "
                     f"(médiane, en plus) : {statistics.median(seconds):.2f} s"
                     + (f", {statistics.median(pages):.0f} page(s) rendue(s) sur {data.get('preview_pages')}"
                        if pages else "") + ".")
    if data.get("preview_first") is not None:
        lines.append(f"Aperçu résident, première modification après la construction complète (non comptée) : "
                     f"{data['preview_first']:.2f} s.")
    edit = next((row for row in data["scenarios"] if row["key"] == "edit"), None)
    if edit and edit["files_sample"]:
        lines.append("Fichiers réécrits après la modification d'un article (extrait) : "
                     + ", ".join(edit["files_sample"]) + ".")
    return "\n".join(lines) + "\n"


def _scale_lines(scaled: dict) -> list[str]:
    lines = [f"Échelle : N = {scaled['n']} contre N = {scaled['earlier_n']} d'un passage précédent "
             f"(× {scaled['factor']:g} ; cible : temps × {scaled['limit']:g} au plus)."]
    for key, figures in scaled["scenarios"].items():
        lines.append(f"- {key} : {figures['wall']:.2f} s / {figures['earlier_wall']:.2f} s = "
                     f"{figures['growth']:.2f}" + (f" : {_verdict(figures['target_met'])}"
                                                   if figures["target_met"] is not None else " (référence)"))
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m transfo_bench.report FIGURES.json`: the table of a saved run (also one cut short)."""
    import json
    import sys
    from pathlib import Path

    for name in argv if argv is not None else sys.argv[1:]:
        print(markdown(json.loads(Path(name).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
