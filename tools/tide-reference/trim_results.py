#!/usr/bin/python3
"""Keeps the detections TIDE looks at: the top 100 per image by score (stable: ties keep file order), in file
order, written gzipped. TIDE's results are the same on the trimmed file (it cuts each image to 100 itself);
the trimmed files are what tests/data/tide-coco212/ holds.

Usage: /usr/bin/python3 trim_results.py IN.results.json OUT.results.json.gz"""
import collections
import gzip
import json
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        dets = json.load(f)
    per_image = collections.defaultdict(list)
    for i, d in enumerate(dets):
        per_image[d['image_id']].append(i)
    keep = []
    for indices in per_image.values():
        keep += sorted(indices, key=lambda i: -dets[i]['score'])[:100]
    keep.sort()
    # mtime=0: the same input gives the same bytes.
    with gzip.GzipFile(dst, 'wb', compresslevel=9, mtime=0) as f:
        f.write(json.dumps([dets[i] for i in keep], separators=(',', ':')).encode())
    print(f'{src}: kept {len(keep)} of {len(dets)} detections', file=sys.stderr)


if __name__ == '__main__':
    main()
