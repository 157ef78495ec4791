set -u
export RFCNPERF_ASSET_MIRROR=/work/shared/assets/models RFCNPERF_COCO=/work/shared/assets/coco RFCNPERF_CACHE=/work/cache/tail
R="dotnet /tmp/cli-bin2/rfcnperf.dll"
cd /tmp/m/serve
URL=http://127.0.0.1:18501/v1/models/rfcn
start_server() { # $1 = max batch, $2 = log
  $R serve --model yolov8n --name rfcn --rest-port 18501 --grpc-port 18500 --max-batch $1 --batch-timeout-us 2000 > $2 2>&1 &
  SPID=$!
  for i in $(seq 1 120); do curl -sf $URL > /dev/null && break; sleep 0.5; done
}
stop_server() {
  t0=$(date +%s.%N); kill -TERM $SPID; wait $SPID; rc=$?; t1=$(date +%s.%N)
  echo "server (max-batch $1) SIGTERM -> exit $rc in $(echo "$t1 - $t0" | bc) s" | tee -a stops.txt
}
echo "== $(date -u +%T) load $(cat /proc/loadavg)"
start_server 1 serve-mb1.log
$R load --url $URL --recipe --payload b64 --out-dir recipe-b64-mb1 > recipe-b64-mb1.txt 2>&1
$R load --url $URL --recipe --payload raw --recipe-batch 1 --out-dir recipe-raw-mb1 > recipe-raw-mb1.txt 2>&1
$R load --url $URL --rates 4,8,12,16,20 --duration 10 --label "max-batch 1" --out-dir sweep > sweep-mb1.txt 2>&1
stop_server 1
start_server 8 serve-mb8.log
$R load --url $URL --rates 4,8,12,16,20,24 --duration 10 --label "max-batch 8" --out-dir sweep > sweep-mb8.txt 2>&1
$R load --url $URL --concurrency 16 --duration 300 --warmup 16 --json rss-5min.json > rss-5min.txt 2>&1
# SIGTERM with a long queue: 48 clients in flight, stop after 5 s
$R load --url $URL --concurrency 48 --duration 30 > drain-load.txt 2>&1 &
LPID=$!
sleep 8; stop_server 8; wait $LPID
start_server 128 serve-mb128.log
$R load --url $URL --recipe --payload b64 --out-dir recipe-b64-mb128 > recipe-b64-mb128.txt 2>&1
stop_server 128
echo "== $(date -u +%T) done load $(cat /proc/loadavg)"
