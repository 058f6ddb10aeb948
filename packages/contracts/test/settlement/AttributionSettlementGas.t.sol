// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";
import {SettlementTestBase} from "./SettlementTestBase.sol";
import {BitmapDistributorReference} from "./BitmapDistributorReference.sol";

/// @notice Whole-transaction gas of claims against a 100,000-leaf tree and of posting a root.
/// @dev Run in isolation (the isolate inline config on each test): every top-level call is its own
/// transaction with cold storage, and `vm.lastCallGas().gasTotalUsed` is its receipt gas (21,000 base +
/// calldata + execution). The figures go to snapshots/Settlement.json.
contract AttributionSettlementGasTest is SettlementTestBase {
    function _setUpBig() internal returns (Fixture memory big) {
        big = _loadFixture("merkle-100k.json");
        _fund(1, big.total2);
    }

    /// forge-config: default.isolate = true
    function test_gas_claim100k_firstClaimFreshAccounts() public {
        Fixture memory big = _setUpBig();
        _post(1, big.root1, big.total1);
        vm.warp(block.timestamp + WINDOW);
        (uint256 avgGas, uint256 maxGas, uint256 avgIntrinsic) = _claimMeasured(big, false, 0);
        vm.snapshotValue("Settlement", "claim100k_avgIntrinsicGas", avgIntrinsic);
        vm.snapshotValue("Settlement", "claim100k_first_avgTxGas", avgGas);
        vm.snapshotValue("Settlement", "claim100k_first_maxTxGas", maxGas);
    }

    /// forge-config: default.isolate = true
    function test_gas_claim100k_repeatClaimNextEpoch() public {
        Fixture memory big = _setUpBig();
        _post(1, big.root1, big.total1);
        vm.warp(block.timestamp + WINDOW);
        for (uint256 i; i < big.leaves.length; ++i) {
            settlement.claim(big.leaves[i].account, big.leaves[i].amount1, big.leaves[i].proof1);
        }
        _post(2, big.root2, big.total2);
        vm.warp(block.timestamp + WINDOW);
        (uint256 avgGas, uint256 maxGas,) = _claimMeasured(big, true, 0);
        vm.snapshotValue("Settlement", "claim100k_repeat_avgTxGas", avgGas);
        vm.snapshotValue("Settlement", "claim100k_repeat_maxTxGas", maxGas);
    }

    /// @dev The reference measurement (Uniswap MerkleDistributor's "gas average random distribution": an
    /// already-funded account claims random leaves, so each claim creates one storage word and updates an
    /// existing token balance): each of the 64 random leaves' accounts already holds OPEN and claims from
    /// the settlement for the first time, so its claimed amount is the only zero-to-non-zero store.
    /// forge-config: default.isolate = true
    function test_gas_claim100k_holderFirstClaim() public {
        Fixture memory big = _setUpBig();
        for (uint256 i; i < big.leaves.length; ++i) {
            assertTrue(open.transfer(big.leaves[i].account, 1e18));
        }
        _post(1, big.root1, big.total1);
        vm.warp(block.timestamp + WINDOW);
        (uint256 avgGas, uint256 maxGas, uint256 avgIntrinsic) = _claimMeasured(big, false, 1e18);
        vm.snapshotValue("Settlement", "claim100k_holderFirst_avgTxGas", avgGas);
        vm.snapshotValue("Settlement", "claim100k_holderFirst_maxTxGas", maxGas);
        vm.snapshotValue("Settlement", "claim100k_holderFirst_avgIntrinsicGas", avgIntrinsic);
    }

    struct IndexedLeaf {
        uint256 index;
        address account;
        uint256 amount;
        bytes32[] proof;
    }

    /// @dev The same 100,000 epoch-1 amounts as (index, account, amount) leaves, same 64 picked leaves.
    function _loadIndexed() internal view returns (bytes32 root, uint256 total, IndexedLeaf[] memory leaves) {
        string memory json = vm.readFile("test/fixtures/merkle-100k-indexed.json");
        root = vm.parseJsonBytes32(json, ".root");
        total = vm.parseUint(vm.parseJsonString(json, ".total"));
        uint256 n;
        while (vm.keyExistsJson(json, string.concat(".leaves[", vm.toString(n), "]"))) ++n;
        leaves = new IndexedLeaf[](n);
        for (uint256 i; i < n; ++i) {
            string memory p = string.concat(".leaves[", vm.toString(i), "]");
            leaves[i] = IndexedLeaf({
                index: vm.parseJsonUint(json, string.concat(p, ".index")),
                account: vm.parseJsonAddress(json, string.concat(p, ".account")),
                amount: vm.parseUint(vm.parseJsonString(json, string.concat(p, ".amount"))),
                proof: vm.parseJsonBytes32Array(json, string.concat(p, ".proof"))
            });
        }
    }

    /// @dev The classic bitmap distributor ({BitmapDistributorReference}) measured exactly like
    /// {test_gas_claim100k_holderFirstClaim}: same EVM, OPEN token, 100,000-leaf tree, the same 64 leaves
    /// (accounts already holding OPEN). 7 of the 64 indices share a bitmap word with an earlier one, so
    /// the figure over the claims that create their word is recorded as well.
    /// forge-config: default.isolate = true
    function test_gas_bitmapReference_claim100k_holders() public {
        (bytes32 root, uint256 total, IndexedLeaf[] memory leaves) = _loadIndexed();
        BitmapDistributorReference ref = new BitmapDistributorReference(open, root);
        assertTrue(open.transfer(address(ref), total));
        for (uint256 i; i < leaves.length; ++i) {
            assertTrue(open.transfer(leaves[i].account, 1e18));
        }
        uint256[] memory words = new uint256[](leaves.length);
        uint256 nWords;
        uint256 sum;
        uint256 freshSum;
        uint256 intrinsic;
        for (uint256 i; i < leaves.length; ++i) {
            IndexedLeaf memory l = leaves[i];
            bool fresh = true;
            for (uint256 k; k < nWords; ++k) {
                if (words[k] == l.index >> 8) fresh = false;
            }
            if (fresh) words[nWords++] = l.index >> 8;
            ref.claim(l.index, l.account, l.amount, l.proof);
            uint256 g = vm.lastCallGas().gasTotalUsed;
            sum += g;
            if (fresh) freshSum += g;
            intrinsic += _intrinsicGas(abi.encodeCall(ref.claim, (l.index, l.account, l.amount, l.proof)));
            assertTrue(ref.isClaimed(l.index));
            assertEq(open.balanceOf(l.account), 1e18 + l.amount);
        }
        vm.expectRevert(abi.encodeWithSelector(BitmapDistributorReference.AlreadyClaimed.selector, leaves[0].index));
        ref.claim(leaves[0].index, leaves[0].account, leaves[0].amount, leaves[0].proof);
        assertEq(nWords, 57);
        vm.snapshotValue("Settlement", "bitmapRef_claim100k_avgTxGas", sum / leaves.length);
        vm.snapshotValue("Settlement", "bitmapRef_claim100k_freshWord_avgTxGas", freshSum / nWords);
        vm.snapshotValue("Settlement", "bitmapRef_claim100k_avgIntrinsicGas", intrinsic / leaves.length);
    }

    /// @dev The normal flow: fees for an epoch are funded through fund(epoch) before its root is posted.
    /// forge-config: default.isolate = true
    function test_gas_postRoot_fundedEpoch() public {
        Fixture memory big = _setUpBig(); // funds epoch 1
        _post(1, big.root1, big.total1);
        vm.snapshotValue("Settlement", "postRoot_fundedEpoch_txGas", vm.lastCallGas().gasTotalUsed);
        _fund(2, 1e18);
        vm.warp(block.timestamp + WINDOW);
        _post(2, big.root2, big.total2);
        vm.snapshotValue("Settlement", "postRoot_fundedEpoch_afterClaimable_txGas", vm.lastCallGas().gasTotalUsed);
    }

    /// @dev Hourly roots under a 1-day window: ~24 roots pending at once cost a post nothing more.
    /// forge-config: default.isolate = true
    function test_gas_postRoot_hourlyUnderDailyWindow() public {
        Fixture memory big = _setUpBig();
        uint256 maxGas;
        for (uint64 epoch = 1; epoch <= 48; ++epoch) {
            _fund(epoch, 1);
            _post(epoch, keccak256(abi.encode(epoch)), big.total1);
            uint256 g = vm.lastCallGas().gasTotalUsed;
            if (g > maxGas) maxGas = g;
            vm.warp(block.timestamp + 1 hours);
        }
        vm.snapshotValue("Settlement", "postRoot_hourlyUnderDailyWindow_maxTxGas", maxGas);
        // now = first post + 48h: the root posted at +24h (epoch 25) has just matured, epoch 26 has not
        assertTrue(settlement.isClaimable(keccak256(abi.encode(uint64(25)))));
        assertFalse(settlement.isClaimable(keccak256(abi.encode(uint64(26)))));
    }

    /// @dev A root for an epoch that received no fund(epoch) call of its own.
    /// forge-config: default.isolate = true
    function test_gas_postRoot_unfundedEpoch() public {
        Fixture memory big = _setUpBig(); // funds epoch 1 only
        _post(1, big.root1, big.total1);
        vm.warp(block.timestamp + WINDOW);
        _post(2, big.root2, big.total2);
        vm.snapshotValue("Settlement", "postRoot_unfundedEpoch_txGas", vm.lastCallGas().gasTotalUsed);
    }

    /// @dev Checks that isolated gasTotalUsed is receipt gas (21,000 + calldata + execution) on a small
    /// state-changing call whose execution is well under 15,000 gas.
    /// forge-config: default.isolate = true
    function test_gas_isolatedFigureIncludesIntrinsicGas() public {
        vm.prank(governance);
        settlement.setChallengeWindow(2 days);
        uint256 g = vm.lastCallGas().gasTotalUsed;
        uint256 intrinsic = _intrinsicGas(abi.encodeCall(settlement.setChallengeWindow, (2 days)));
        assertGt(g, intrinsic);
        assertLt(g, intrinsic + 15_000);
    }

    /// @dev Claims every fixture leaf's epoch-1 amount (epoch 2's with `second`), each claim its own isolated
    /// transaction, and returns the average and largest whole-transaction gas and the average intrinsic part;
    /// each account must end with `heldBefore` plus its cumulative amount.
    function _claimMeasured(Fixture memory big, bool second, uint256 heldBefore)
        internal
        returns (uint256 avgGas, uint256 maxGas, uint256 avgIntrinsic)
    {
        uint256 sum;
        uint256 intrinsic;
        for (uint256 i; i < big.leaves.length; ++i) {
            FixtureLeaf memory l = big.leaves[i];
            (uint256 amount, bytes32[] memory proof) = second ? (l.amount2, l.proof2) : (l.amount1, l.proof1);
            settlement.claim(l.account, amount, proof);
            uint256 g = vm.lastCallGas().gasTotalUsed;
            sum += g;
            if (g > maxGas) maxGas = g;
            intrinsic += _intrinsicGas(abi.encodeCall(settlement.claim, (l.account, amount, proof)));
            assertEq(open.balanceOf(l.account), heldBefore + amount);
        }
        avgGas = sum / big.leaves.length;
        avgIntrinsic = intrinsic / big.leaves.length;
    }

    /// @dev 21,000 + 16 per non-zero and 4 per zero calldata byte (pre-Prague pricing, evm_version cancun).
    function _intrinsicGas(bytes memory data) internal pure returns (uint256 gas) {
        gas = 21_000;
        for (uint256 i; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    /// @dev Without isolation, for comparison: execution gas only (no 21,000 base, no calldata).
    function test_gas_claim100k_executionOnly() public {
        Fixture memory big = _setUpBig();
        _post(1, big.root1, big.total1);
        vm.warp(block.timestamp + WINDOW);
        FixtureLeaf memory l = big.leaves[0];
        settlement.claim(l.account, l.amount1, l.proof1);
        vm.snapshotGasLastCall("Settlement", "claim100k_first_executionGas_leaf0");
    }
}
