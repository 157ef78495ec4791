#!/usr/bin/python3
"""Writes a COCO results file of 500,000 detections (100 per image) for a val2017-sized ground truth, the shape of
a detector run at a low score threshold with maxDets 100: per image, jittered copies of its ground-truth boxes
(some with another category), the rest random boxes, scores uniform in (0, 1). Deterministic (seeded), standard
library only.

usage: make_500k.py GT.json OUT.json [PER_IMAGE=100] [SEED=20]
"""
import json
import random
import sys

gt_path, out_path = sys.argv[1], sys.argv[2]
per_image = int(sys.argv[3]) if len(sys.argv) > 3 else 100
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 20)

with open(gt_path) as f:
    gt = json.load(f)
cats = sorted(c["id"] for c in gt["categories"])
by_image = {img["id"]: [] for img in gt["images"]}
for a in gt["annotations"]:
    by_image.setdefault(a["image_id"], []).append(a)
size = {img["id"]: (img.get("width") or 640, img.get("height") or 480) for img in gt["images"]}

out = []
for image_id in sorted(by_image):
    w_img, h_img = size.get(image_id, (640, 480))
    dets = []
    anns = by_image[image_id]
    while anns and len(dets) < per_image * 3 // 5:
        for a in anns:
            x, y, w, h = a["bbox"]
            j = rng.choice((0.02, 0.05, 0.1, 0.2, 0.4))
            box = [round(x + rng.gauss(0, j * w), 2), round(y + rng.gauss(0, j * h), 2),
                   round(max(1.0, w * (1 + rng.gauss(0, j))), 2), round(max(1.0, h * (1 + rng.gauss(0, j))), 2)]
            cat = a["category_id"] if rng.random() < 0.85 else rng.choice(cats)
            dets.append((cat, box))
            if len(dets) >= per_image * 3 // 5:
                break
    while len(dets) < per_image:
        w = rng.uniform(4, w_img / 2)
        h = rng.uniform(4, h_img / 2)
        box = [round(rng.uniform(0, w_img - w), 2), round(rng.uniform(0, h_img - h), 2), round(w, 2), round(h, 2)]
        dets.append((rng.choice(cats), box))
    for cat, box in dets:
        out.append({"image_id": image_id, "category_id": cat, "bbox": box, "score": round(rng.random(), 5)})

with open(out_path, "w") as f:
    json.dump(out, f)
print(f"{out_path}: {len(out)} detections on {len(by_image)} images")
