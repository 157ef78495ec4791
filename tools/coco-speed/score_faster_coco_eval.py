#!/usr/bin/python3
"""Whole-process peer for `rfcnperf eval score`: faster-coco-eval's COCO(gt), loadRes(dt),
COCOeval_faster(iouType), evaluate(), accumulate(), summarize() (its C++ core; the default options).

usage: score_faster_coco_eval.py GT.json DT.json [bbox|segm|keypoints]
"""
import sys

from faster_coco_eval import COCO, COCOeval_faster

gt_path, dt_path = sys.argv[1], sys.argv[2]
iou_type = sys.argv[3] if len(sys.argv) > 3 else "bbox"
gt = COCO(gt_path)
dt = gt.loadRes(dt_path)
e = COCOeval_faster(gt, dt, iou_type)
e.evaluate()
e.accumulate()
e.summarize()
print(list(map(float, e.stats)))
