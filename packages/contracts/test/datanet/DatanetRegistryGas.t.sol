// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DatanetTestBase} from "./DatanetTestBase.sol";

/// @notice Whole-transaction gas (21,000 + calldata + execution, through the proxy) of batch submissions.
/// @dev Isolated: each top-level call is its own transaction with cold storage, and
/// `vm.lastCallGas().gasTotalUsed` is its receipt gas. Figures go to snapshots/Datanet.json.
contract DatanetRegistryGasTest is DatanetTestBase {
    string internal constant URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

    function setUp() public override {
        super.setUp();
        _stake(contributor, MIN_STAKE);
    }

    /// forge-config: default.isolate = true
    function test_gas_submitContribution() public {
        uint256 sum;
        uint256 maxGas;
        uint32[8] memory counts = [uint32(1), 10, 1_000, 100_000, 1_000_000, 50_000_000, 2 ** 31, type(uint32).max];
        for (uint256 i; i < counts.length; ++i) {
            vm.prank(contributor);
            registry.submitContribution(datanetId, keccak256(abi.encode(i)), counts[i], URI);
            uint256 g = vm.lastCallGas().gasTotalUsed;
            if (i == 0) vm.snapshotValue("Datanet", "submitContribution_firstInRegistry_txGas", g);
            if (i == 1) vm.snapshotValue("Datanet", "submitContribution_sharedIndexSlot_txGas", g);
            sum += g;
            if (g > maxGas) maxGas = g;
        }
        vm.snapshotValue("Datanet", "submitContribution_avg8_txGas", sum / counts.length);
        vm.snapshotValue("Datanet", "submitContribution_max8_txGas", maxGas);
        assertLe(maxGas, 120_000);
    }

    /// forge-config: default.isolate = true
    function test_gas_submitContributionFor() public {
        for (uint256 i; i < 2; ++i) {
            uint256 deadline = block.timestamp + 1 hours;
            bytes32 root = keccak256(abi.encode("relayed", i));
            bytes32 digest = registry.hashContribution(
                datanetId, root, 5_000, URI, contributor, registry.nonces(contributor), deadline
            );
            bytes memory sig = _sign(contributorKey, digest);
            vm.prank(relayer);
            registry.submitContributionFor(datanetId, root, 5_000, URI, contributor, deadline, sig);
            vm.snapshotValue(
                "Datanet",
                i == 0 ? "submitContributionFor_firstNonce_txGas" : "submitContributionFor_nextNonce_txGas",
                vm.lastCallGas().gasTotalUsed
            );
        }
    }
}
