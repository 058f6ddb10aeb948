#!/usr/bin/env bash
# Deploys the whole system to a fresh anvil with the real deploy script, then runs part of the economy
# loop with cast and prints the receipt gas of each step, one line per figure. Run by hand:
#   bash test/integration/anvil-economy-check.sh        (from packages/contracts; uses port 8598)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=node_modules/.bin
RPC=http://127.0.0.1:${ANVIL_PORT:-8598}
KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 # anvil account 0
OUT=deployments/anvil-economy-check.json
URI=ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi
FIX=test/fixtures/merkle-100k.json

"$BIN/anvil" --port "${ANVIL_PORT:-8598}" --silent &
ANVIL_PID=$!
trap 'pkill -P $ANVIL_PID 2>/dev/null; kill $ANVIL_PID 2>/dev/null; rm -f $OUT' EXIT
for _ in $(seq 50); do "$BIN/cast" chain-id --rpc-url "$RPC" >/dev/null 2>&1 && break; sleep 0.2; done

PRIVATE_KEY=$KEY DEPLOYMENTS_OUT=$OUT "$BIN/forge" script script/Deploy.s.sol:Deploy --rpc-url "$RPC" --broadcast > /tmp/anvil-economy-check.log 2>&1 || { tail -20 /tmp/anvil-economy-check.log; exit 1; }
addr() { node -e "console.log(JSON.parse(require('fs').readFileSync('$OUT','utf8')).contracts['$1'])"; }
fix() { node -e "const f=JSON.parse(require('fs').readFileSync('$FIX','utf8')); console.log($1)"; }
gas() { node -e "let s='';process.stdin.on('data',c=>s+=c).on('end',()=>{const r=JSON.parse(s);if(r.status!=='0x1')process.exit(1);console.log('$1', parseInt(r.gasUsed,16))})"; }
send() { "$BIN/cast" send "$@" --private-key "$KEY" --rpc-url "$RPC" --json; }

OPEN=$(addr OpenToken); DATANETS=$(addr DatanetRegistry); SETTLEMENT=$(addr AttributionSettlement)
[ "$("$BIN/cast" call "$DATANETS" 'stakingToken()(address)' --rpc-url "$RPC")" = "$OPEN" ]

send "$DATANETS" 'createDatanet(string,string,uint96,address[])' demo ipfs://schema 0 '[]' >/dev/null
send "$DATANETS" 'submitContribution(uint256,bytes32,uint32,string)' 1 "$("$BIN/cast" keccak a)" 1000 "$URI" | gas "anvil submitContribution first in registry (gas)"
send "$DATANETS" 'submitContribution(uint256,bytes32,uint32,string)' 1 "$("$BIN/cast" keccak b)" 4000000000 "$URI" | gas "anvil submitContribution next (gas)"

TOTAL=$(fix 'f.epoch1.total'); ROOT=$(fix 'f.epoch1.root')
send "$OPEN" 'approve(address,uint256)' "$SETTLEMENT" "$TOTAL" >/dev/null
send "$SETTLEMENT" 'fund(uint64,uint256)' 1 "$TOTAL" >/dev/null
send "$SETTLEMENT" 'postRoot(uint64,bytes32,uint256,string)' 1 "$ROOT" "$TOTAL" "$URI" | gas "anvil postRoot funded epoch, 100k-leaf tree (gas)"
"$BIN/cast" rpc evm_increaseTime 86400 --rpc-url "$RPC" >/dev/null
"$BIN/cast" rpc evm_mine --rpc-url "$RPC" >/dev/null
for i in 0 1 2 3; do
  send "$SETTLEMENT" 'claim(address,uint256,bytes32[])' "$(fix "f.leaves[$i].account")" "$(fix "f.leaves[$i].amount1")" \
    "$(fix "'['+f.leaves[$i].proof1.join(',')+']'")" | gas "anvil claim leaf $i, first claim, 100k-leaf tree (gas)"
done
# the reference measurement: accounts that already hold OPEN claim from the settlement for the first time
for i in 4 5 6 7; do
  send "$OPEN" 'transfer(address,uint256)' "$(fix "f.leaves[$i].account")" 1000000000000000000 >/dev/null
  send "$SETTLEMENT" 'claim(address,uint256,bytes32[])' "$(fix "f.leaves[$i].account")" "$(fix "f.leaves[$i].amount1")" \
    "$(fix "'['+f.leaves[$i].proof1.join(',')+']'")" | gas "anvil claim leaf $i, first claim by an OPEN holder, 100k-leaf tree (gas)"
done
