#!/usr/bin/python3
"""Whole-process peer for `rfcnperf eval score`: pycocotools' COCO(gt), loadRes(dt), COCOeval(iouType),
evaluate(), accumulate(), summarize(), exactly as a user runs it.

usage: score_pycocotools.py GT.json DT.json [bbox|segm|keypoints]
"""
import sys

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

gt_path, dt_path = sys.argv[1], sys.argv[2]
iou_type = sys.argv[3] if len(sys.argv) > 3 else "bbox"
gt = COCO(gt_path)
dt = gt.loadRes(dt_path)
e = COCOeval(gt, dt, iou_type)
e.evaluate()
e.accumulate()
e.summarize()
print(list(map(float, e.stats)))
