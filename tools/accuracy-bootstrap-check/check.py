#!/usr/bin/python3
"""Bootstrap replicates computed by pycocotools on written-out resampled datasets.

A replicate of the paired bootstrap over images (RfcnPerf.Accuracy's AccuracyBootstrap) must equal what pycocotools
gives on the dataset the draw stands for: the drawn images in draw order, renumbered 1..n (a repeated image is a new
image), each with copies of its annotations (new ids) and its detections. This script draws image positions with
NumPy (fixed seeds), writes that dataset, scores it with COCOeval(gt, dt, 'bbox') and records the draw, the 12 stats
and every category's AP (mean of precision[:, :, k, area all, last maxDets] over values > -1, as the evaluator's
per-category table computes it). The test re-accumulates the one evaluation of the original files over the same
draw and compares bit for bit; it never runs Python.
"""
import argparse
import gzip
import json
import os
import sys
import tempfile

import numpy as np
import pycocotools
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

# (name, ground truth relative to the cases folder, detections, seed); 'coco212:' reads the reference subset.
REPLICATES = [
    ("real_val2017_subset_synth", "cases:real_val2017_subset_synth/gt.json", "cases:real_val2017_subset_synth/dt.json", 11),
    ("tied_scores_across_images", "cases:tied_scores_across_images/gt.json", "cases:tied_scores_across_images/dt.json", 12),
    ("rand_04_many_dets", "cases:rand_04_many_dets/gt.json", "cases:rand_04_many_dets/dt.json", 13),
    # One draw scored for both models of the reference subset: the paired replicate of the INT8 delta.
    ("coco212-yolov8n", "coco212:annotations/instances_val2017.json", "repo:tests/data/tide-coco212/yolov8n.results.json.gz", 14),
    ("coco212-yolov8n-int8", "coco212:annotations/instances_val2017.json", "repo:tests/data/tide-coco212/yolov8n-int8.results.json.gz", 14),
]


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def resample(gt, dt, draw):
    ids = sorted(im["id"] for im in gt["images"])  # COCOeval's params.imgIds
    images = {im["id"]: im for im in gt["images"]}
    anns, dets = {}, {}
    for a in gt["annotations"]:
        anns.setdefault(a["image_id"], []).append(a)
    for d in dt:
        dets.setdefault(d["image_id"], []).append(d)
    new_images, new_anns, new_dets = [], [], []
    ann_id = 1
    for j, pos in enumerate(draw):
        src, new_id = ids[pos], j + 1
        new_images.append(dict(images[src], id=new_id))
        for a in anns.get(src, []):
            new_anns.append(dict(a, id=ann_id, image_id=new_id))
            ann_id += 1
        for d in dets.get(src, []):
            new_dets.append(dict(d, image_id=new_id))
    return dict(gt, images=new_images, annotations=new_anns), new_dets, len(ids)


def score(gt, dt, folder):
    gt_path, dt_path = os.path.join(folder, "gt.json"), os.path.join(folder, "dt.json")
    with open(gt_path, "w") as f:
        json.dump(gt, f)
    with open(dt_path, "w") as f:
        json.dump(dt, f)
    coco_gt = COCO(gt_path)
    e = COCOeval(coco_gt, coco_gt.loadRes(dt_path), "bbox")
    e.evaluate()
    e.accumulate()
    e.summarize()
    per_category = {}
    for k, cat in enumerate(e.params.catIds):
        p = e.eval["precision"][:, :, k, 0, -1]
        p = p[p > -1]
        per_category[str(cat)] = float(np.mean(p)) if p.size else -1.0
    return [float(s) for s in e.stats], per_category


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", required=True, help="unpacked tests/data/coco-eval-cases.tar.gz (its coco-eval-cases folder)")
    ap.add_argument("--coco212", help="the 212-image reference subset (folder with annotations/); without it those replicates are left out")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    repo = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    roots = {"cases": args.cases, "coco212": args.coco212, "repo": repo}
    out = []
    for name, gt_ref, dt_ref, seed in REPLICATES:
        gt_root, gt_rel = gt_ref.split(":", 1)
        if roots[gt_root] is None:
            print(f"skipping {name}: --{gt_root} not given", file=sys.stderr)
            continue
        dt_root, dt_rel = dt_ref.split(":", 1)
        gt, dt = load(os.path.join(roots[gt_root], gt_rel)), load(os.path.join(roots[dt_root], dt_rel))
        n = len(gt["images"])
        draw = [int(i) for i in np.random.default_rng(seed).integers(0, n, n)]
        rgt, rdt, _ = resample(gt, dt, draw)
        with tempfile.TemporaryDirectory() as folder:
            stats, per_category = score(rgt, rdt, folder)
        out.append({"name": name, "groundTruth": gt_ref, "detections": dt_ref, "seed": seed,
                    "draw": draw, "stats": stats, "perCategoryAp": per_category})
    doc = {"generator": "tools/accuracy-bootstrap-check/check.py",
           "pycocotools": pycocotools.__version__ if hasattr(pycocotools, "__version__") else "2.0.11",
           "numpy": np.__version__, "replicates": out}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
