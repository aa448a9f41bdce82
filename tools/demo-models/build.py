"""One command for the whole demo: python3 tools/demo-models/build.py

1. writes the demo catalog (resources/demo-catalog/)
2. builds both tokenizers
3. trains the SigLIP-style and CLIP-style tiny dual encoders (torch, 2 threads; on the GPU
   when torch sees one), with the recipes in train.RECIPES
4. evaluates them on a held-out generated split
5. exports the Hugging Face style packs (resources/models/demo-siglip, demo-clip)
   and the parity fixtures (test/fixtures/parity/)

Checkpoints and metrics also go to --work (default /tmp/lookalike-demo-build) so that
`python3 tools/demo-models/export.py` can re-export without retraining.
"""
import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import catalog  # noqa: E402
import train  # noqa: E402

STEPS = {style: recipe["steps"] for style, recipe in train.RECIPES.items()}


def main():
    ap = argparse.ArgumentParser(description="Rebuild the Lookalike demo catalog and demo models.")
    ap.add_argument("--work", default="/tmp/lookalike-demo-build")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows up when logged to a file
    torch.set_num_threads(2)
    os.makedirs(args.work, exist_ok=True)
    timings = {}

    t = time.time()
    catalog.build_catalog(os.path.join(ROOT, "resources", "demo-catalog"))
    timings["catalog_s"] = round(time.time() - t, 1)
    print(f"catalog written in {timings['catalog_s']}s")

    t = time.time()
    tokenizers = train.build_tokenizers()
    data = train.training_set(tokenizers)
    items = train.eval_set()
    timings["tokenizers_and_training_data_s"] = round(time.time() - t, 1)
    print(f"tokenizers + {len(data['keys'])} training views in {timings['tokenizers_and_training_data_s']}s")

    metrics = {}
    for style in train.STYLES:
        model, secs = train.train_model(style, data, tokenizers[style], **train.RECIPES[style])
        timings[f"train_{style}_s"] = round(secs, 1)
        print(f"{style}: trained {STEPS[style]} steps in {secs:.0f}s on {train.default_device()}")
        torch.save(model.state_dict(), os.path.join(args.work, f"{style}.pt"))
        metrics[style] = train.evaluate(model, style, tokenizers[style], items)
        train.print_report(style, metrics[style])
    timings["train_total_s"] = round(sum(timings[f"train_{s}_s"] for s in train.STYLES), 1)
    print(f"training time, both models: {timings['train_total_s']:.0f}s "
          f"({timings['train_total_s'] / 60:.1f} min) on {train.default_device()}, torch.set_num_threads(2)")

    report = {"timings": timings, "steps": STEPS, "recipes": train.RECIPES, "batch": 128, "metrics": metrics,
              "torch": torch.__version__, "threads": torch.get_num_threads()}
    with open(os.path.join(args.work, "metrics.json"), "w") as f:
        json.dump(report, f, indent=1)

    import export  # imported late: only needed once the checkpoints exist
    export.export_all(args.work, tokenizers, report)


if __name__ == "__main__":
    main()
