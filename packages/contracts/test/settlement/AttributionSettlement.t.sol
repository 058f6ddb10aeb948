// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IAttributionSettlement} from "../../src/interfaces/IAttributionSettlement.sol";
import {AttributionSettlement} from "../../src/settlement/AttributionSettlement.sol";
import {SettlementTestBase} from "./SettlementTestBase.sol";

contract AttributionSettlementTest is SettlementTestBase {
    Fixture internal small;

    function setUp() public override {
        super.setUp();
    }

    function _small() internal view returns (Fixture memory) {
        return _loadFixture("merkle-small.json");
    }

    function _postClaimable(uint64 epoch, bytes32 root, uint256 total) internal {
        _post(epoch, root, total);
        vm.warp(block.timestamp + WINDOW);
    }

    // --- constructor and parameters

    function test_constructor_grantsRoles() public view {
        assertTrue(settlement.hasRole(settlement.DEFAULT_ADMIN_ROLE(), governance));
        assertTrue(settlement.hasRole(settlement.SETTLER_ROLE(), settler));
        assertTrue(settlement.hasRole(settlement.GUARDIAN_ROLE(), guardian));
        assertEq(settlement.challengeWindow(), WINDOW);
        assertEq(settlement.token(), address(open));
    }

    function test_constructor_revertsOnZeroGovernance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionSettlement.SettlementInvalidParameter.selector, bytes32("governance"))
        );
        new AttributionSettlement(open, address(0), settler, guardian, WINDOW);
    }

    function test_constructor_revertsOnZeroToken() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionSettlement.SettlementInvalidParameter.selector, bytes32("token"))
        );
        new AttributionSettlement(IERC20(address(0)), governance, settler, guardian, WINDOW);
    }

    function test_setChallengeWindow_setsAndEmits() public {
        vm.expectEmit(address(settlement));
        emit IAttributionSettlement.ChallengeWindowSet(2 days);
        vm.prank(governance);
        settlement.setChallengeWindow(2 days);
        assertEq(settlement.challengeWindow(), 2 days);
    }

    function test_setChallengeWindow_revertsAboveMax() public {
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAttributionSettlement.SettlementInvalidParameter.selector, bytes32("challengeWindow")
            )
        );
        settlement.setChallengeWindow(31 days);
    }

    function test_setChallengeWindow_revertsIfNotGovernance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, settler, bytes32(0))
        );
        vm.prank(settler);
        settlement.setChallengeWindow(1);
    }

    // --- fund

    function test_fund_pullsTokensAndCounts() public {
        vm.expectEmit(address(settlement));
        emit IAttributionSettlement.Funded(3, funder, 5e18, 5e18);
        _fund(3, 5e18);
        _fund(3, 1e18);
        _fund(4, 2e18);
        assertEq(settlement.totalFunded(), 8e18);
        assertEq(settlement.fundedOf(3), 6e18);
        assertEq(settlement.fundedOf(4), 2e18);
        assertEq(open.balanceOf(address(settlement)), 8e18);
    }

    function test_fund_revertsOnZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionSettlement.SettlementInvalidParameter.selector, bytes32("amount"))
        );
        _fund(1, 0);
    }

    // --- postRoot

    function test_postRoot_storesAndEmits() public {
        _fund(1, 10e18);
        bytes32 root = bytes32(uint256(7));
        vm.expectEmit(address(settlement));
        emit IAttributionSettlement.RootPosted(1, root, 10e18, uint64(block.timestamp + WINDOW), "ipfs://x");
        vm.prank(settler);
        settlement.postRoot(1, root, 10e18, "ipfs://x");
        IAttributionSettlement.RootInfo memory r = settlement.rootInfo(root);
        assertEq(r.epoch, 1);
        assertEq(r.total, 10e18);
        assertEq(r.claimableAt, block.timestamp + WINDOW);
        assertFalse(r.revoked);
        assertEq(settlement.lastPostedEpoch(), 1);
        assertEq(settlement.fundedOf(1), 10e18);
        // the post keeps the other fields of the packed head
        assertEq(settlement.challengeWindow(), WINDOW);
        assertEq(settlement.totalFunded(), 10e18);
        assertFalse(settlement.isClaimable(root));
        vm.warp(block.timestamp + WINDOW - 1);
        assertFalse(settlement.isClaimable(root));
        vm.warp(block.timestamp + 1);
        assertTrue(settlement.isClaimable(root));
        assertFalse(settlement.isClaimable(bytes32(uint256(8))));
        assertEq(settlement.rootInfo(bytes32(uint256(8))).epoch, 0);
    }

    function test_postRoot_revertsIfNotSettler() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, settlement.SETTLER_ROLE()
            )
        );
        vm.prank(guardian);
        settlement.postRoot(1, bytes32(uint256(1)), 0, "");
    }

    function test_postRoot_revertsIfEpochNotNext() public {
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementEpochNotNext.selector, 2, 1));
        _post(2, bytes32(uint256(1)), 0);
        _post(1, bytes32(uint256(1)), 0);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementEpochNotNext.selector, 1, 2));
        _post(1, bytes32(uint256(2)), 0);
    }

    function test_postRoot_revertsOnZeroRoot() public {
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementInvalidRoot.selector, bytes32(0)));
        _post(1, bytes32(0), 0);
    }

    function test_postRoot_revertsIfTotalAboveFunded() public {
        _fund(1, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementUnderfunded.selector, 6e18, 5e18));
        _post(1, bytes32(uint256(1)), 6e18);
    }

    /// @dev An epoch without new rewards has the same tree as the one before: the root keeps the epoch and
    /// challenge window it was first posted with, so re-posting cannot delay or reopen it.
    function test_postRoot_sameRootAgainKeepsItsWindow() public {
        _fund(1, 10e18);
        bytes32 root = bytes32(uint256(1));
        _post(1, root, 1e18);
        uint64 claimableAt = uint64(block.timestamp + WINDOW);
        vm.warp(block.timestamp + 1 hours);
        vm.expectEmit(address(settlement));
        emit IAttributionSettlement.RootPosted(2, root, 1e18, claimableAt, "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
        _post(2, root, 2e18);
        IAttributionSettlement.RootInfo memory r = settlement.rootInfo(root);
        assertEq(r.epoch, 1);
        assertEq(r.claimableAt, claimableAt);
        assertEq(r.total, 1e18);
        assertEq(settlement.lastPostedEpoch(), 2);
    }

    function test_postRoot_revertsOnRevokedRoot() public {
        bytes32 root = bytes32(uint256(1));
        _post(1, root, 0);
        vm.prank(guardian);
        settlement.revokeRoot(root);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementInvalidRoot.selector, root));
        _post(2, root, 0);
        _post(2, bytes32(uint256(2)), 0);
    }

    /// @dev Roots posted faster than the window: each becomes claimable exactly when its own window ends,
    /// whatever was posted after it.
    function testFuzz_postRoot_eachRootMaturesOnItsOwn(uint256 seed) public {
        _fund(1, 100e18);
        uint64 n = 24;
        uint256[] memory postedAt = new uint256[](n + 1);
        for (uint64 epoch = 1; epoch <= n; ++epoch) {
            uint256 r = uint256(keccak256(abi.encode(seed, epoch)));
            uint256 gap = r % 4 == 0 ? r % (2 * WINDOW) : r % (WINDOW / 4);
            vm.warp(block.timestamp + gap);
            _post(epoch, bytes32(uint256(epoch)), 1e18);
            postedAt[epoch] = block.timestamp;
            for (uint64 e = 1; e <= epoch; ++e) {
                assertEq(settlement.isClaimable(bytes32(uint256(e))), block.timestamp >= postedAt[e] + WINDOW);
            }
        }
    }

    // --- revokeRoot

    function test_revokeRoot_byGuardian() public {
        _fund(1, 10e18);
        _postClaimable(1, bytes32(uint256(1)), 1e18);
        bytes32 root = bytes32(uint256(2));
        _post(2, root, 2e18);
        vm.expectEmit(address(settlement));
        emit IAttributionSettlement.RootRevoked(2, root);
        vm.prank(guardian);
        settlement.revokeRoot(root);
        assertTrue(settlement.rootInfo(root).revoked);
        vm.warp(block.timestamp + WINDOW);
        assertFalse(settlement.isClaimable(root));
        assertTrue(settlement.isClaimable(bytes32(uint256(1))));
        _post(3, bytes32(uint256(3)), 3e18);
    }

    function test_revokeRoot_byGovernance() public {
        bytes32 root = bytes32(uint256(1));
        _post(1, root, 0);
        vm.prank(governance);
        settlement.revokeRoot(root);
        vm.warp(block.timestamp + WINDOW);
        assertFalse(settlement.isClaimable(root));
    }

    function test_revokeRoot_revertsAfterWindow() public {
        bytes32 root = bytes32(uint256(1));
        _postClaimable(1, root, 0);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementNotRevocable.selector, root));
        settlement.revokeRoot(root);
    }

    function test_revokeRoot_revertsIfAlreadyRevokedOrUnknown() public {
        bytes32 root = bytes32(uint256(1));
        _post(1, root, 0);
        vm.startPrank(guardian);
        settlement.revokeRoot(root);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementNotRevocable.selector, root));
        settlement.revokeRoot(root);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionSettlement.SettlementNotRevocable.selector, bytes32(uint256(9)))
        );
        settlement.revokeRoot(bytes32(uint256(9)));
        vm.stopPrank();
    }

    function test_revokeRoot_revertsIfNotGuardian() public {
        bytes32 root = bytes32(uint256(1));
        _post(1, root, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, settler, settlement.GUARDIAN_ROLE()
            )
        );
        vm.prank(settler);
        settlement.revokeRoot(root);
    }

    // --- claim (proofs from @openzeppelin/merkle-tree, see script/gen-merkle-fixture.mjs)

    function test_claim_paysEveryFixtureLeafToItsAccount() public {
        Fixture memory f = _small();
        _fund(1, f.total1);
        _postClaimable(1, f.root1, f.total1);
        address caller = makeAddr("relayer");
        for (uint256 i; i < f.leaves.length; ++i) {
            FixtureLeaf memory l = f.leaves[i];
            vm.expectEmit(address(settlement));
            emit IAttributionSettlement.Claimed(l.account, 1, l.amount1, l.amount1);
            vm.prank(caller);
            assertEq(settlement.claim(l.account, l.amount1, l.proof1), l.amount1);
            assertEq(open.balanceOf(l.account), l.amount1);
            assertEq(settlement.claimed(l.account), l.amount1);
        }
        assertEq(open.balanceOf(caller), 0);
        assertEq(open.balanceOf(address(settlement)), 0);
    }

    function test_claim_paysOnlyTheDifferenceUnderANewerRoot() public {
        Fixture memory f = _small();
        _fund(1, f.total2);
        _postClaimable(1, f.root1, f.total1);
        FixtureLeaf memory l = f.leaves[3];
        settlement.claim(l.account, l.amount1, l.proof1);
        _postClaimable(2, f.root2, f.total2);
        assertEq(settlement.claim(l.account, l.amount2, l.proof2), l.amount2 - l.amount1);
        assertEq(open.balanceOf(l.account), l.amount2);
    }

    function test_claim_revertsIfAlreadyClaimed() public {
        Fixture memory f = _small();
        _fund(1, f.total1);
        _postClaimable(1, f.root1, f.total1);
        FixtureLeaf memory l = f.leaves[0];
        settlement.claim(l.account, l.amount1, l.proof1);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementNothingToClaim.selector, l.account));
        settlement.claim(l.account, l.amount1, l.proof1);
    }

    /// @dev Every claimable root is accepted; an older root of the same account pays nothing more once a
    /// newer one was claimed (cumulative amounts only grow).
    function test_claim_olderRootPaysNothingAfterNewerClaim() public {
        Fixture memory f = _small();
        _fund(1, f.total2);
        _postClaimable(1, f.root1, f.total1);
        _postClaimable(2, f.root2, f.total2);
        FixtureLeaf memory l = f.leaves[1];
        vm.expectEmit(address(settlement));
        emit IAttributionSettlement.Claimed(l.account, 2, l.amount2, l.amount2);
        settlement.claim(l.account, l.amount2, l.proof2);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementNothingToClaim.selector, l.account));
        settlement.claim(l.account, l.amount1, l.proof1);
        // another account may still claim against the older root, then take the rest from the newer one
        FixtureLeaf memory m = f.leaves[2];
        vm.expectEmit(address(settlement));
        emit IAttributionSettlement.Claimed(m.account, 1, m.amount1, m.amount1);
        assertEq(settlement.claim(m.account, m.amount1, m.proof1), m.amount1);
        assertEq(settlement.claim(m.account, m.amount2, m.proof2), m.amount2 - m.amount1);
        assertEq(open.balanceOf(m.account), m.amount2);
    }

    function test_claim_revertsOnRevokedRoot() public {
        Fixture memory f = _small();
        _fund(1, f.total1);
        _post(1, f.root1, f.total1);
        vm.prank(guardian);
        settlement.revokeRoot(f.root1);
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementRootRevoked.selector, f.root1));
        settlement.claim(f.leaves[0].account, f.leaves[0].amount1, f.leaves[0].proof1);
    }

    function test_claim_revertsOnWrongAmount() public {
        Fixture memory f = _small();
        _fund(1, f.total1);
        _postClaimable(1, f.root1, f.total1);
        FixtureLeaf memory l = f.leaves[2];
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionSettlement.SettlementInvalidProof.selector, l.account, l.amount1 + 1)
        );
        settlement.claim(l.account, l.amount1 + 1, l.proof1);
    }

    function test_claim_revertsInsideChallengeWindow() public {
        Fixture memory f = _small();
        _fund(1, f.total1);
        _post(1, f.root1, f.total1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAttributionSettlement.SettlementRootPending.selector, f.root1, uint64(block.timestamp + WINDOW)
            )
        );
        settlement.claim(f.leaves[0].account, f.leaves[0].amount1, f.leaves[0].proof1);
    }

    function test_claim_revertsWhenFundsRunOut() public {
        Fixture memory f = _small();
        uint256 funded = f.leaves[0].amount1 + f.leaves[1].amount1 / 2;
        _fund(1, funded);
        // the settler claims a total it can fund, but the tree's leaves add up to more
        _postClaimable(1, f.root1, funded);
        settlement.claim(f.leaves[0].account, f.leaves[0].amount1, f.leaves[0].proof1);
        // the balance is the pool: the token refuses to move more than is left, and nothing is recorded
        uint256 left = funded - f.leaves[0].amount1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector, address(settlement), left, f.leaves[1].amount1
            )
        );
        settlement.claim(f.leaves[1].account, f.leaves[1].amount1, f.leaves[1].proof1);
        assertEq(settlement.claimed(f.leaves[1].account), 0);
        assertEq(open.balanceOf(address(settlement)), left);
    }

    function test_claimMany_paysAllAndSkipsAlreadyClaimed() public {
        Fixture memory f = _small();
        _fund(1, f.total1);
        _postClaimable(1, f.root1, f.total1);
        settlement.claim(f.leaves[0].account, f.leaves[0].amount1, f.leaves[0].proof1);
        uint256 n = f.leaves.length;
        address[] memory accounts = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        bytes32[][] memory proofs = new bytes32[][](n);
        for (uint256 i; i < n; ++i) {
            (accounts[i], amounts[i], proofs[i]) = (f.leaves[i].account, f.leaves[i].amount1, f.leaves[i].proof1);
        }
        assertEq(settlement.claimMany(accounts, amounts, proofs), f.total1 - f.leaves[0].amount1);
        assertEq(open.balanceOf(address(settlement)), 0);
    }

    function test_claimMany_revertsOnLengthMismatch() public {
        vm.expectRevert(IAttributionSettlement.SettlementLengthMismatch.selector);
        settlement.claimMany(new address[](2), new uint256[](1), new bytes32[][](2));
    }

    /// @dev A single-leaf tree (root == leaf, empty proof) with fuzzed amounts: pays min(cumulative) once,
    /// and never beyond what was funded.
    function testFuzz_claim_singleLeafNeverPaysBeyondFunded(address account, uint96 cumulative, uint96 funded) public {
        vm.assume(account != address(0) && account != address(settlement) && account != funder);
        cumulative = uint96(bound(cumulative, 1, 1e26));
        funded = uint96(bound(funded, 1, 1e26));
        _fund(1, funded);
        _postClaimable(1, _leaf(account, cumulative), 0);
        if (cumulative > funded) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IERC20Errors.ERC20InsufficientBalance.selector, address(settlement), funded, cumulative
                )
            );
            settlement.claim(account, cumulative, new bytes32[](0));
            return;
        }
        uint256 before = open.balanceOf(account);
        settlement.claim(account, cumulative, new bytes32[](0));
        assertEq(open.balanceOf(account) - before, cumulative);
        vm.expectRevert(abi.encodeWithSelector(IAttributionSettlement.SettlementNothingToClaim.selector, account));
        settlement.claim(account, cumulative, new bytes32[](0));
    }

    /// @dev Two-leaf trees over two epochs: the second claim pays exactly the increase.
    function testFuzz_claim_cumulativeAcrossEpochs(uint64 first, uint64 increase, uint64 other) public {
        address a = makeAddr("a");
        address b = makeAddr("b");
        first = uint64(bound(first, 1, type(uint64).max / 2));
        increase = uint64(bound(increase, 1, type(uint64).max / 2));
        _fund(1, uint256(first) + increase + other);
        bytes32 la = _leaf(a, first);
        bytes32 lb = _leaf(b, other);
        _postClaimable(1, _parent(la, lb), 0);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = lb;
        settlement.claim(a, first, proof);
        bytes32 la2 = _leaf(a, uint256(first) + increase);
        _postClaimable(2, _parent(la2, lb), 0);
        assertEq(settlement.claim(a, uint256(first) + increase, proof), increase);
        assertEq(open.balanceOf(a), uint256(first) + increase);
    }
}
