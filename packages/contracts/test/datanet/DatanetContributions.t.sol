// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IDatanetRegistry} from "../../src/interfaces/IDatanetRegistry.sol";
import {DatanetTestBase} from "./DatanetTestBase.sol";

/// @notice Direct and relayed submissions, curation, rejection slashing and revocation.
contract DatanetContributionsTest is DatanetTestBase {
    bytes32 internal constant ROOT = keccak256("batch");

    function setUp() public override {
        super.setUp();
        _stake(contributor, MIN_STAKE);
    }

    function _signed(uint256 deadline) internal view returns (bytes memory) {
        bytes32 digest = registry.hashContribution(
            datanetId, ROOT, 1_000, "ipfs://batch", contributor, registry.nonces(contributor), deadline
        );
        return _sign(contributorKey, digest);
    }

    // --- submit

    function test_submitContribution_storesEmitsAndIndexes() public {
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionSubmitted(1, datanetId, contributor, ROOT, 1_000, "ipfs://batch");
        uint256 id = _submit(ROOT);
        assertEq(id, 1);
        IDatanetRegistry.Contribution memory c = registry.contribution(id);
        assertEq(c.datanetId, datanetId);
        assertEq(c.contributor, contributor);
        assertEq(c.recordCount, 1_000);
        assertEq(uint8(c.status), uint8(IDatanetRegistry.ContributionStatus.Pending));
        assertEq(c.submittedAt, block.timestamp);
        assertEq(c.batchRoot, ROOT);
        assertEq(registry.contributionCount(), 1);
        assertEq(registry.datanet(datanetId).contributionCount, 1);
    }

    function test_contributionsOf_pagesAcrossPackedSlots() public {
        address[] memory none = new address[](0);
        uint256 other = registry.createDatanet("other", "u", 0, none);
        for (uint256 i; i < 11; ++i) {
            _submit(bytes32(i + 1));
            vm.prank(contributor);
            registry.submitContribution(other, bytes32(i + 100), 1, "u");
        }
        uint256[] memory ids = registry.contributionsOf(datanetId, 0, 20);
        assertEq(ids.length, 11);
        for (uint256 i; i < 11; ++i) {
            assertEq(ids[i], 2 * i + 1);
        }
        ids = registry.contributionsOf(other, 3, 5);
        assertEq(ids.length, 5);
        assertEq(ids[0], 8);
        assertEq(ids[4], 16);
        assertEq(registry.contributionsOf(other, 11, 5).length, 0);
    }

    function test_submitContribution_revertsBelowMinStake() public {
        address poor = makeAddr("poor");
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetInsufficientStake.selector, datanetId, poor, 0, MIN_STAKE)
        );
        vm.prank(poor);
        registry.submitContribution(datanetId, ROOT, 1, "u");
    }

    function test_submitContribution_revertsAfterUnstakingBelowMin() public {
        vm.prank(contributor);
        registry.requestUnstake(datanetId, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetInsufficientStake.selector, datanetId, contributor, MIN_STAKE - 1, MIN_STAKE
            )
        );
        _submit(ROOT);
    }

    function test_submitContribution_revertsOnEmptyBatch() public {
        vm.startPrank(contributor);
        vm.expectRevert(IDatanetRegistry.DatanetInvalidInput.selector);
        registry.submitContribution(datanetId, bytes32(0), 1, "u");
        vm.expectRevert(IDatanetRegistry.DatanetInvalidInput.selector);
        registry.submitContribution(datanetId, ROOT, 0, "u");
        vm.stopPrank();
    }

    function test_submitContributionFor_acceptsContributorSignature() public {
        bytes memory sig = _signed(block.timestamp + 1 hours);
        vm.prank(relayer);
        uint256 id = registry.submitContributionFor(
            datanetId, ROOT, 1_000, "ipfs://batch", contributor, block.timestamp + 1 hours, sig
        );
        assertEq(registry.contribution(id).contributor, contributor);
        assertEq(registry.nonces(contributor), 1);
    }

    function test_submitContributionFor_revertsOnReplay() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signed(deadline);
        vm.startPrank(relayer);
        registry.submitContributionFor(datanetId, ROOT, 1_000, "ipfs://batch", contributor, deadline, sig);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetInvalidSignature.selector, contributor));
        registry.submitContributionFor(datanetId, ROOT, 1_000, "ipfs://batch", contributor, deadline, sig);
        vm.stopPrank();
    }

    function test_submitContributionFor_revertsIfExpired() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signed(deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetSignatureExpired.selector, deadline));
        registry.submitContributionFor(datanetId, ROOT, 1_000, "ipfs://batch", contributor, deadline, sig);
    }

    function test_submitContributionFor_revertsOnTamperedFields() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _signed(deadline);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetInvalidSignature.selector, contributor));
        registry.submitContributionFor(datanetId, ROOT, 1_001, "ipfs://batch", contributor, deadline, sig);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetInvalidSignature.selector, contributor));
        registry.submitContributionFor(datanetId, ROOT, 1_000, "ipfs://other", contributor, deadline, sig);
    }

    function test_submitContributionFor_revertsOnOtherSigner() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = registry.hashContribution(datanetId, ROOT, 1_000, "ipfs://batch", contributor, 0, deadline);
        bytes memory sig = _sign(0xBAD, digest);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetInvalidSignature.selector, contributor));
        registry.submitContributionFor(datanetId, ROOT, 1_000, "ipfs://batch", contributor, deadline, sig);
    }

    function test_hashContribution_matchesEip712() public view {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("DatanetRegistry"),
                keccak256("1"),
                block.chainid,
                address(registry)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(registry.CONTRIBUTE_TYPEHASH(), datanetId, ROOT, uint32(7), keccak256("u"), contributor, 3, 99)
        );
        assertEq(
            registry.hashContribution(datanetId, ROOT, 7, "u", contributor, 3, 99),
            keccak256(abi.encodePacked("\x19\x01", domain, structHash))
        );
    }

    // --- review

    function test_acceptContribution_setsWeight() public {
        uint256 id = _submit(ROOT);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionAccepted(id, datanetId, curator, 42);
        vm.prank(curator);
        registry.acceptContribution(id, 42);
        IDatanetRegistry.Contribution memory c = registry.contribution(id);
        assertEq(uint8(c.status), uint8(IDatanetRegistry.ContributionStatus.Accepted));
        assertEq(c.weight, 42);
    }

    function test_acceptContribution_zeroWeightMeansRecordCount() public {
        uint256 id = _submit(ROOT);
        vm.prank(curator);
        registry.acceptContribution(id, 0);
        assertEq(registry.contribution(id).weight, 1_000);
    }

    function test_acceptContribution_revertsIfNotCurator() public {
        uint256 id = _submit(ROOT);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetNotCurator.selector, datanetId, owner));
        vm.prank(owner);
        registry.acceptContribution(id, 1);
    }

    function test_acceptContribution_revertsIfCuratorUnderstaked() public {
        uint256 id = _submit(ROOT);
        vm.prank(curator);
        registry.requestUnstake(datanetId, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetInsufficientStake.selector, datanetId, curator, MIN_STAKE - 1, MIN_STAKE
            )
        );
        vm.prank(curator);
        registry.acceptContribution(id, 1);
    }

    function test_acceptContribution_revertsOnSelfReview() public {
        vm.prank(owner);
        registry.setCurator(datanetId, contributor, true);
        uint256 id = _submit(ROOT);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetSelfReview.selector, id));
        vm.prank(contributor);
        registry.acceptContribution(id, 1);
    }

    function test_acceptContribution_revertsIfNotPending() public {
        uint256 id = _submit(ROOT);
        vm.startPrank(curator);
        registry.acceptContribution(id, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetInvalidStatus.selector, id, IDatanetRegistry.ContributionStatus.Accepted
            )
        );
        registry.acceptContribution(id, 1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetUnknownContribution.selector, 99));
        registry.acceptContribution(99, 1);
        vm.stopPrank();
    }

    function test_rejectContribution_honestDoesNotSlash() public {
        uint256 id = _submit(ROOT);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionRejected(id, datanetId, curator, false, "off-topic");
        vm.prank(curator);
        registry.rejectContribution(id, false, "off-topic");
        assertEq(uint8(registry.contribution(id).status), uint8(IDatanetRegistry.ContributionStatus.Rejected));
        assertEq(registry.stakeOf(datanetId, contributor).amount, MIN_STAKE);
    }

    function test_rejectContribution_maliciousSlashesShareToTreasury() public {
        uint256 id = _submit(ROOT);
        uint256 share = uint256(MIN_STAKE) * SLASH_BPS / 10_000;
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.Slashed(datanetId, contributor, share, treasury);
        vm.prank(curator);
        registry.rejectContribution(id, true, "poisoned");
        assertEq(open.balanceOf(treasury), share);
        assertEq(registry.stakeOf(datanetId, contributor).amount, MIN_STAKE - share);
    }

    function test_rejectContribution_maliciousSlashReachesPendingUnstake() public {
        uint256 id = _submit(ROOT);
        vm.prank(contributor);
        registry.requestUnstake(datanetId, MIN_STAKE); // tries to run before the verdict
        vm.prank(governance);
        registry.setSlashParameters(5_000, true, treasury);
        vm.prank(curator);
        registry.rejectContribution(id, true, "poisoned");
        IDatanetRegistry.StakeInfo memory s = registry.stakeOf(datanetId, contributor);
        assertEq(s.pendingUnstake, MIN_STAKE / 2);
        assertEq(open.balanceOf(curator), 10_000e18 - MIN_STAKE + MIN_STAKE / 2); // paid to the curator
    }

    function test_revokeContribution_byGovernanceSlashes() public {
        uint256 id = _submit(ROOT);
        vm.prank(curator);
        registry.acceptContribution(id, 0);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionRevoked(id, datanetId, governance, "copyright");
        vm.prank(governance);
        registry.revokeContribution(id, true, "copyright");
        assertEq(uint8(registry.contribution(id).status), uint8(IDatanetRegistry.ContributionStatus.Revoked));
        assertEq(open.balanceOf(treasury), uint256(MIN_STAKE) * SLASH_BPS / 10_000);
    }

    function test_revokeContribution_byCuratorWithoutSlash() public {
        uint256 id = _submit(ROOT);
        vm.startPrank(curator);
        registry.acceptContribution(id, 0);
        registry.revokeContribution(id, false, "duplicate");
        vm.stopPrank();
        assertEq(registry.stakeOf(datanetId, contributor).amount, MIN_STAKE);
    }

    function test_revokeContribution_revertsIfNotAccepted() public {
        uint256 id = _submit(ROOT);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetInvalidStatus.selector, id, IDatanetRegistry.ContributionStatus.Pending
            )
        );
        vm.prank(governance);
        registry.revokeContribution(id, false, "");
    }

    function testFuzz_rejectMalicious_slashesTheGovernedShare(uint96 extraStake, uint16 bps) public {
        bps = uint16(bound(bps, 0, 5_000));
        extraStake = uint96(bound(extraStake, 0, 9_000e18));
        if (extraStake != 0) _stake(contributor, extraStake);
        vm.prank(governance);
        registry.setSlashParameters(bps, false, treasury);
        uint256 id = _submit(ROOT);
        vm.prank(curator);
        registry.rejectContribution(id, true, "bad");
        uint256 total = uint256(MIN_STAKE) + extraStake;
        assertEq(open.balanceOf(treasury), total * bps / 10_000);
        assertEq(registry.stakeOf(datanetId, contributor).amount, total - total * bps / 10_000);
    }
}
