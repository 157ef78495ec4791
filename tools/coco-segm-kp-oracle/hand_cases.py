#!/usr/bin/python3
"""Hand-designed segm and keypoints golden cases, evaluated by pycocotools itself (tests never run Python).

Writes into OUT (the same folder generate.py fills; the files of each case as generate.py writes them:
gt.json, dt.json, expected.json, precision.f64, recall.f64, ious.bin and, for keypoints, ious_libm.bin):

  segm_hand_crowd_borders   crowd ground truth as uncompressed RLE (touching the image border, starting with a 0 run),
                            polygons of three points (one a line: two of them the same; pycocotools cannot take a
                            ground-truth polygon of two points: frPyObjects reads four numbers as a box and fails),
                            polygons on and past the borders, results as compressed RLE touching every border, a
                            full-image mask and an empty one, results on an image without ground truth, tied scores
  segm_hand_bbox_ties       results with a bbox and polygon segmentations (loadRes' bbox branch, area = w * h),
                            polygons of few points, ties within and across images, an image without ground truth
  kp_hand_visibility        17 keypoints with v = 0/1/2 mixes: a person with every keypoint v = 0 (num_keypoints 0:
                            ignored), one with v = 1 only, crowd persons, results whose keypoints are all zeros,
                            results on an image without ground truth, tied scores
  kp_hand_bbox_ties         keypoint results with a bbox (area = w * h), more than 20 on one image, tied scores

Run it after generate.py, with the same pycocotools (see README.md):
  PYTHONPATH=/path/to/pycocotools /usr/bin/python3 hand_cases.py --out OUT
"""
import argparse
import json
import os
import random
import sys

import numpy as np
from pycocotools import mask as mask_utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import evaluate, expected_doc, write_case  # noqa: E402

KEYPOINT_NAMES = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
                  "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
                  "right_knee", "left_ankle", "right_ankle"]
SKELETON = [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12], [7, 13], [6, 7], [6, 8], [7, 9], [8, 10],
            [9, 11], [2, 3], [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]]


def rle_string(mask):
    r = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    return {"size": [int(r["size"][0]), int(r["size"][1])], "counts": r["counts"].decode()}


def uncompressed_rle(mask):
    """The counts-as-a-list form crowd annotations use in COCO files (column-major runs, starting with zeros)."""
    flat = mask.astype(np.uint8).ravel(order="F")
    counts, current, run = [], 0, 0
    for v in flat:
        if v != current:
            counts.append(run)
            current, run = v, 0
        run += 1
    counts.append(run)
    return {"size": [int(mask.shape[0]), int(mask.shape[1])], "counts": counts}


def box_mask(h, w, x0, y0, x1, y1):
    m = np.zeros((h, w), dtype=np.uint8)
    m[max(0, y0):min(h, y1), max(0, x0):min(w, x1)] = 1
    return m


def segm_crowd_borders():
    images = [{"id": 1, "width": 30, "height": 20, "file_name": "1.jpg"},
              {"id": 2, "width": 16, "height": 16, "file_name": "2.jpg"},
              {"id": 3, "width": 12, "height": 10, "file_name": "3.jpg"}]
    cats = [{"id": 1, "name": "a", "supercategory": "s"}, {"id": 2, "name": "b", "supercategory": "s"}]
    anns = []

    def ann(image_id, cat, segm, bbox, area, crowd=0):
        anns.append({"id": len(anns) + 1, "image_id": image_id, "category_id": cat, "segmentation": segm,
                     "bbox": bbox, "area": area, "iscrowd": crowd})

    ann(1, 1, [[0, 0, 12, 0, 6, 9]], [0, 0, 12, 9], 54.0)                       # three points, on the corner
    ann(1, 1, [[14, 2, 29.5, 2, 29.5, 19.5, 14, 19.5]], [14, 2, 15.5, 17.5], 271.0)  # touching right and bottom
    ann(1, 2, [[3, 12, 9, 15, 3, 12]], [3, 12, 6, 3], 18.0)                      # a line: three points, two the same
    ann(1, 1, uncompressed_rle(box_mask(20, 30, 0, 10, 10, 20)), [0, 10, 10, 10], 100.0, crowd=1)  # crowd on the border
    ann(2, 2, [[-4, -4, 20, -4, 20, 6, -4, 6]], [0, 0, 16, 6], 96.0)            # past three borders
    ann(2, 2, [[4, 8, 12, 8, 8, 15], [1, 1, 3, 1, 2, 3]], [1, 1, 11, 14], 40.0)  # two small polygons
    ann(2, 1, uncompressed_rle(box_mask(16, 16, 8, 0, 16, 16)), [8, 0, 8, 16], 128.0, crowd=1)
    # image 3 has no ground truth
    gt = {"images": images, "annotations": anns, "categories": cats}

    dts = []

    def det(image_id, cat, mask, score):
        dts.append({"image_id": image_id, "category_id": cat, "segmentation": rle_string(mask), "score": score})

    det(1, 1, box_mask(20, 30, 0, 0, 12, 9), 0.9)
    det(1, 1, box_mask(20, 30, 14, 2, 30, 20), 0.9)                  # tie with the one before
    det(1, 1, box_mask(20, 30, 0, 0, 30, 20), 0.5)                   # the whole image
    det(1, 1, box_mask(20, 30, 1, 11, 9, 20), 0.7)                   # inside the crowd region
    det(1, 1, box_mask(20, 30, 2, 12, 8, 19), 0.7)                   # again: a crowd absorbs several
    det(1, 2, box_mask(20, 30, 3, 12, 9, 15), 0.8)
    det(1, 2, np.zeros((20, 30), dtype=np.uint8), 0.6)               # an empty mask
    det(2, 2, box_mask(16, 16, 0, 0, 16, 6), 0.95)
    det(2, 2, box_mask(16, 16, 4, 8, 12, 15), 0.95)
    det(2, 1, box_mask(16, 16, 9, 0, 16, 16), 0.4)
    det(2, 1, box_mask(16, 16, 0, 15, 16, 16), 0.4)                  # the bottom row only
    det(3, 1, box_mask(10, 12, 0, 0, 12, 10), 0.85)                  # an image without ground truth
    det(3, 2, box_mask(10, 12, 11, 9, 12, 10), 0.85)                 # one pixel in the corner
    return gt, dts


def segm_bbox_ties():
    rng = random.Random(7)
    images = [{"id": i, "width": 40, "height": 30, "file_name": "%d.jpg" % i} for i in (1, 2, 3, 4)]
    cats = [{"id": 1, "name": "a", "supercategory": "s"}, {"id": 3, "name": "c", "supercategory": "s"}]
    anns, dts = [], []
    for image_id in (1, 2, 3):
        for cat in (1, 3):
            for _ in range(2):
                x, y = rng.randint(0, 30), rng.randint(0, 20)
                w, h = rng.randint(3, 12), rng.randint(3, 10)
                poly = [x, y, x + w, y, x + w // 2, y + h]                # three points
                anns.append({"id": len(anns) + 1, "image_id": image_id, "category_id": cat, "segmentation": [poly],
                             "bbox": [x, y, w, h], "area": float(w * h) / 2, "iscrowd": 0})
                for jitter, score in ((0, 0.8), (1, 0.8), (3, 0.6)):       # ties within the image
                    px = [v + rng.choice((-jitter, 0, jitter)) for v in poly]
                    xs, ys = px[0::2], px[1::2]
                    dts.append({"image_id": image_id, "category_id": cat, "segmentation": [px],
                                "bbox": [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)], "score": score})
    # image 4 has no ground truth; its results tie with image 1's
    dts.append({"image_id": 4, "category_id": 1, "segmentation": [[1, 1, 9, 1, 5, 8]], "bbox": [1, 1, 8, 7], "score": 0.8})
    dts.append({"image_id": 4, "category_id": 3, "segmentation": [[0, 0, 39, 0, 39, 29, 0, 29]], "bbox": [0, 0, 39, 29], "score": 0.6})
    return {"images": images, "annotations": anns, "categories": cats}, dts


def person(rng, x, y, w, h, visibility):
    kps, n = [], 0
    for v in visibility:
        if v == 0:
            kps += [0, 0, 0]
        else:
            kps += [round(x + rng.uniform(0, w), 2), round(y + rng.uniform(0, h), 2), v]
            n += 1
    return kps, n


def kp_visibility():
    rng = random.Random(11)
    images = [{"id": i, "width": 200, "height": 160, "file_name": "%d.jpg" % i} for i in (1, 2, 3)]
    cats = [{"id": 1, "name": "person", "supercategory": "person", "keypoints": KEYPOINT_NAMES, "skeleton": SKELETON}]
    anns, dts = [], []
    layouts = [
        (1, (10, 10, 60, 120), [2] * 17, 0),
        (1, (90, 20, 50, 100), [2, 1, 0] * 5 + [1, 2], 0),                 # a mix of 0, 1 and 2
        (1, (150, 30, 40, 90), [0] * 17, 0),                                # no keypoint: ignored
        (2, (20, 30, 70, 110), [1] * 17, 0),                                # only v = 1
        (2, (100, 10, 80, 140), [0] * 14 + [2, 2, 1], 0),                   # three keypoints
        (2, (5, 5, 190, 150), [0] * 17, 1),                                 # a crowd person
    ]
    for image_id, (x, y, w, h), vis, crowd in layouts:
        kps, n = person(rng, x, y, w, h, vis)
        anns.append({"id": len(anns) + 1, "image_id": image_id, "category_id": 1, "bbox": [x, y, w, h],
                     "area": float(w * h) * 0.6, "iscrowd": crowd, "num_keypoints": n, "keypoints": kps})
        for jitter, score in ((2.0, 0.9), (6.0, 0.9), (15.0, 0.5)):
            det = []
            for j in range(17):
                gx, gy, v = kps[3 * j:3 * j + 3]
                if v == 0:
                    gx, gy = x + w / 2, y + h / 2
                det += [round(gx + rng.gauss(0, jitter), 2), round(gy + rng.gauss(0, jitter), 2), rng.choice((0, 1, 2))]
            dts.append({"image_id": image_id, "category_id": 1, "keypoints": det, "score": score})
    dts.append({"image_id": 1, "category_id": 1, "keypoints": [0] * 51, "score": 0.9})       # all zeros, tied
    dts.append({"image_id": 3, "category_id": 1, "keypoints": person(rng, 10, 10, 50, 50, [2] * 17)[0], "score": 0.7})
    return {"images": images, "annotations": anns, "categories": cats}, dts


def kp_bbox_ties():
    rng = random.Random(13)
    images = [{"id": i, "width": 300, "height": 200, "file_name": "%d.jpg" % i} for i in (1, 2)]
    cats = [{"id": 1, "name": "person", "supercategory": "person", "keypoints": KEYPOINT_NAMES, "skeleton": SKELETON}]
    anns, dts = [], []
    for image_id in (1, 2):
        for p in range(4):
            x, y, w, h = 10 + 70 * p, 20, 50, 150
            vis = [rng.choice((0, 1, 2)) for _ in range(17)]
            kps, n = person(rng, x, y, w, h, vis)
            anns.append({"id": len(anns) + 1, "image_id": image_id, "category_id": 1, "bbox": [x, y, w, h],
                         "area": float(w * h) * 0.5, "iscrowd": 0, "num_keypoints": n, "keypoints": kps})
    for image_id, count in ((1, 26), (2, 5)):                               # more than maxDets 20 on image 1
        for i in range(count):
            a = anns[(image_id - 1) * 4 + i % 4]
            x, y, w, h = a["bbox"]
            det = []
            for j in range(17):
                gx, gy, v = a["keypoints"][3 * j:3 * j + 3]
                det += [round((gx or x + w / 2) + rng.gauss(0, 3 + i), 2), round((gy or y + h / 2) + rng.gauss(0, 3 + i), 2), 1]
            dts.append({"image_id": image_id, "category_id": 1, "keypoints": det,
                        "bbox": [x + i, y, w, h - i], "score": [0.9, 0.8, 0.8, 0.7][i % 4]})
    return {"images": images, "annotations": anns, "categories": cats}, dts


CASES = [
    ("segm_hand_crowd_borders", "segm", segm_crowd_borders,
     "crowd GT as uncompressed RLE on the border, 3-point polygons (one a line), polygons past the borders, RLE results touching every border, full and empty masks, results on an image without GT, tied scores"),
    ("segm_hand_bbox_ties", "segm", segm_bbox_ties,
     "results with a bbox and 3-point polygons (loadRes' bbox branch), ties within and across images, an image without GT"),
    ("kp_hand_visibility", "keypoints", kp_visibility,
     "keypoints with v = 0/1/2 mixes, a person without keypoints (ignored), v = 1 only, a crowd person, an all-zero result, results on an image without GT, tied scores"),
    ("kp_hand_bbox_ties", "keypoints", kp_bbox_ties,
     "keypoint results with a bbox (area = w * h), 26 results on one image (maxDets 20), tied scores"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="coco-eval-cases-segm-kp")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, iou_type, make, description in CASES:
        gt, dt = make()
        e, printed = evaluate(gt, dt, iou_type, {})
        doc = expected_doc(name, description, iou_type, {}, e, printed, gt, dt)
        n = write_case(args.out, name, json.dumps(gt).encode(), json.dumps(dt).encode(), doc, e)
        print("| %s | %s | %s | %d | %d | {} |" % (name, iou_type, description, len(gt["annotations"]), len(dt)), "(%d IoU matrices)" % n)


if __name__ == "__main__":
    main()
