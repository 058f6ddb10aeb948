// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IFeeEscrow} from "../../src/interfaces/IFeeEscrow.sol";
import {FeeEscrow} from "../../src/escrow/FeeEscrow.sol";
import {EscrowTestBase} from "./EscrowTestBase.sol";

contract FeeEscrowTest is EscrowTestBase {
    // --- constructor and governance

    function test_constructor_setsEverything() public view {
        assertTrue(escrow.hasRole(escrow.DEFAULT_ADMIN_ROLE(), governance));
        assertTrue(escrow.hasRole(escrow.OPERATOR_ROLE(), operator));
        assertEq(escrow.token(), address(open));
        assertEq(escrow.treasury(), treasury);
        assertEq(escrow.curatorPool(), curatorPool);
        assertEq(escrow.settlement(), address(settlement));
        assertEq(escrow.withdrawalDelay(), DELAY);
        assertEq(escrow.feeShares().contributorsBps, 5_000);
    }

    function test_setFeeShares_revertsUnlessSumIs10000() public {
        IFeeEscrow.FeeShares memory s = _shares();
        s.curatorsBps += 1;
        vm.prank(governance);
        vm.expectRevert(IFeeEscrow.EscrowInvalidShares.selector);
        escrow.setFeeShares(s);
    }

    function test_setFeeShares_setsAndEmits() public {
        IFeeEscrow.FeeShares memory s = IFeeEscrow.FeeShares(0, 5_000, 5_000, 0);
        vm.expectEmit(address(escrow));
        emit IFeeEscrow.FeeSharesSet(s);
        vm.prank(governance);
        escrow.setFeeShares(s);
        assertEq(escrow.feeShares().modelOwnerBps, 5_000);
    }

    function test_setFeeShares_revertsIfNotGovernance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, bytes32(0))
        );
        vm.prank(operator);
        escrow.setFeeShares(_shares());
    }

    function test_setRecipients_validatesAndEmits() public {
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowInvalidParameter.selector, bytes32("curatorPool")));
        escrow.setRecipients(treasury, address(0), address(settlement));
        vm.expectEmit(address(escrow));
        emit IFeeEscrow.RecipientsSet(address(1), address(2), address(3));
        escrow.setRecipients(address(1), address(2), address(3));
        vm.stopPrank();
        assertEq(escrow.treasury(), address(1));
    }

    function test_setWithdrawalDelay_bounded() public {
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowInvalidParameter.selector, bytes32("withdrawalDelay")));
        escrow.setWithdrawalDelay(31 days);
        vm.expectEmit(address(escrow));
        emit IFeeEscrow.WithdrawalDelaySet(2 days);
        escrow.setWithdrawalDelay(2 days);
        vm.stopPrank();
    }

    // --- deposits and withdrawals

    function test_deposit_creditsAndEmits() public {
        vm.expectEmit(address(escrow));
        emit IFeeEscrow.Deposited(payer, 10e18, 10e18);
        _deposit(10e18);
        _deposit(5e18);
        assertEq(escrow.balanceOf(payer), 15e18);
        assertEq(open.balanceOf(address(escrow)), 15e18);
    }

    function test_deposit_revertsOnZero() public {
        vm.expectRevert(IFeeEscrow.EscrowInvalidAmount.selector);
        _deposit(0);
    }

    function test_depositWithPermit_needsNoApproval() public {
        uint256 key = 0xD00D;
        address p = vm.addr(key);
        open.transfer(p, 5e18);
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                p,
                address(escrow),
                5e18,
                0,
                block.timestamp
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", open.DOMAIN_SEPARATOR(), structHash)));
        vm.prank(p);
        escrow.depositWithPermit(5e18, block.timestamp, v, r, s);
        assertEq(escrow.balanceOf(p), 5e18);
    }

    function test_requestWithdrawal_revertsAboveBalance() public {
        _deposit(1e18);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowInsufficientBalance.selector, payer, 1e18, 2e18));
        vm.prank(payer);
        escrow.requestWithdrawal(2e18);
    }

    function test_withdraw_revertsBeforeDelay() public {
        _deposit(1e18);
        vm.startPrank(payer);
        escrow.requestWithdrawal(1e18);
        vm.expectRevert(
            abi.encodeWithSelector(IFeeEscrow.EscrowWithdrawalNotReady.selector, uint64(block.timestamp + DELAY))
        );
        escrow.withdraw();
        vm.stopPrank();
    }

    function test_withdraw_revertsWithNothingRequested() public {
        vm.expectRevert(IFeeEscrow.EscrowInvalidAmount.selector);
        vm.prank(payer);
        escrow.withdraw();
    }

    function test_withdraw_paysAfterDelay() public {
        _deposit(3e18);
        vm.prank(payer);
        vm.expectEmit(address(escrow));
        emit IFeeEscrow.WithdrawalRequested(payer, 2e18, uint64(block.timestamp + DELAY));
        escrow.requestWithdrawal(2e18);
        assertEq(escrow.pendingWithdrawal(payer).amount, 2e18);
        vm.warp(block.timestamp + DELAY);
        uint256 before = open.balanceOf(payer);
        vm.prank(payer);
        escrow.withdraw();
        assertEq(open.balanceOf(payer), before + 2e18);
        assertEq(escrow.balanceOf(payer), 1e18);
        assertEq(escrow.pendingWithdrawal(payer).amount, 0);
    }

    function test_withdraw_paysOnlyWhatCollectionLeft() public {
        _deposit(3e18);
        vm.prank(payer);
        escrow.requestWithdrawal(3e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(10e18, uint64(block.timestamp + 1 days));
        _collect(auth, _signAuth(payerKey, auth), 2e18); // still collectable while pending
        vm.warp(block.timestamp + DELAY);
        uint256 before = open.balanceOf(payer);
        vm.prank(payer);
        escrow.withdraw();
        assertEq(open.balanceOf(payer), before + 1e18);
        assertEq(escrow.balanceOf(payer), 0);
    }

    // --- collect

    function test_collect_splitsByShares() public {
        _deposit(100e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(50e18, uint64(block.timestamp + 1 days));
        bytes memory sig = _signAuth(payerKey, auth);
        vm.expectEmit(address(escrow));
        emit IFeeEscrow.Collected(payer, operator, modelOwner, 7, 10e18, 10e18);
        vm.expectEmit(address(escrow));
        emit IFeeEscrow.FeesSplit(7, 1e18, 3e18, 5e18, 1e18);
        _collect(auth, sig, 10e18);
        assertEq(open.balanceOf(treasury), 1e18);
        assertEq(open.balanceOf(modelOwner), 3e18);
        assertEq(open.balanceOf(curatorPool), 1e18);
        assertEq(settlement.fundedOf(7), 5e18);
        assertEq(settlement.totalFunded(), 5e18);
        assertEq(escrow.balanceOf(payer), 90e18);
        assertEq(escrow.spent(payer, operator), 10e18);
        assertEq(open.balanceOf(address(escrow)), 90e18);
    }

    function test_collect_revertsPastCumulativeCap() public {
        _deposit(100e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(15e18, uint64(block.timestamp + 1 days));
        bytes memory sig = _signAuth(payerKey, auth);
        _collect(auth, sig, 10e18);
        _collect(auth, sig, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowCapExceeded.selector, payer, 15e18, 15e18, 1));
        _collect(auth, sig, 1);
    }

    function test_collect_higherCapRaisesLowerCapCannotUndo() public {
        _deposit(100e18);
        uint64 expiry = uint64(block.timestamp + 1 days);
        IFeeEscrow.SpendingAuthorization memory first = _auth(10e18, expiry);
        _collect(first, _signAuth(payerKey, first), 10e18);
        IFeeEscrow.SpendingAuthorization memory raised = _auth(25e18, expiry);
        _collect(raised, _signAuth(payerKey, raised), 15e18);
        IFeeEscrow.SpendingAuthorization memory lowered = _auth(5e18, expiry);
        bytes memory sig = _signAuth(payerKey, lowered);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowCapExceeded.selector, payer, 5e18, 25e18, 1));
        _collect(lowered, sig, 1);
        assertEq(escrow.spent(payer, operator), 25e18);
    }

    function test_collect_revertsIfCallerIsNotTheOperator() public {
        _deposit(1e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(1e18, uint64(block.timestamp + 1));
        bytes memory sig = _signAuth(payerKey, auth);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowNotOperator.selector, treasury, operator));
        vm.prank(treasury);
        escrow.collect(auth, sig, 1, modelOwner, 1);
    }

    function test_collect_revertsIfOperatorNotApproved() public {
        _deposit(1e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(1e18, uint64(block.timestamp + 1));
        auth.operator = treasury;
        bytes memory sig = _signAuth(payerKey, auth);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowOperatorNotApproved.selector, treasury));
        vm.prank(treasury);
        escrow.collect(auth, sig, 1, modelOwner, 1);
    }

    function test_collect_revertsIfExpired() public {
        _deposit(1e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(1e18, uint64(block.timestamp));
        bytes memory sig = _signAuth(payerKey, auth);
        vm.warp(block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowAuthorizationExpired.selector, auth.expiry));
        _collect(auth, sig, 1);
    }

    function test_collect_revertsOnForgedOrAlteredSignature() public {
        _deposit(1e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(1e18, uint64(block.timestamp + 1));
        bytes memory forged = _signAuth(0xBAD, auth);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowInvalidSignature.selector, payer));
        _collect(auth, forged, 1);
        bytes memory sig = _signAuth(payerKey, auth);
        auth.cap = 2e18;
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowInvalidSignature.selector, payer));
        _collect(auth, sig, 1);
    }

    function test_collect_revertsAboveBalance() public {
        _deposit(1e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(5e18, uint64(block.timestamp + 1));
        bytes memory sig = _signAuth(payerKey, auth);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowInsufficientBalance.selector, payer, 1e18, 2e18));
        _collect(auth, sig, 2e18);
    }

    function test_collect_revertsOnZeroAmountOrModelOwner() public {
        _deposit(1e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(5e18, uint64(block.timestamp + 1));
        bytes memory sig = _signAuth(payerKey, auth);
        vm.expectRevert(IFeeEscrow.EscrowInvalidAmount.selector);
        _collect(auth, sig, 0);
        vm.expectRevert(abi.encodeWithSelector(IFeeEscrow.EscrowInvalidParameter.selector, bytes32("modelOwner")));
        vm.prank(operator);
        escrow.collect(auth, sig, 1, address(0), 1);
    }

    function test_hashAuthorization_matchesEip712() public view {
        IFeeEscrow.SpendingAuthorization memory auth = _auth(3, 4);
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("FeeEscrow"),
                keccak256("1"),
                block.chainid,
                address(escrow)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("SpendingAuthorization(address payer,address operator,uint256 cap,uint64 expiry)"),
                payer,
                operator,
                3,
                4
            )
        );
        assertEq(escrow.hashAuthorization(auth), keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
    }

    function testFuzz_collect_splitAddsUpAndStaysUnderCap(uint96 cap, uint96[4] memory amounts, uint16[3] memory bps)
        public
    {
        cap = uint96(bound(cap, 1, 500_000e18));
        uint16 p = uint16(bound(bps[0], 0, 10_000));
        uint16 m = uint16(bound(bps[1], 0, 10_000 - p));
        uint16 c = uint16(bound(bps[2], 0, 10_000 - p - m));
        vm.prank(governance);
        escrow.setFeeShares(IFeeEscrow.FeeShares(p, m, 10_000 - p - m - c, c));
        _deposit(1_000_000e18);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(cap, uint64(block.timestamp + 1));
        bytes memory sig = _signAuth(payerKey, auth);
        uint256 spentSoFar;
        for (uint256 i; i < amounts.length; ++i) {
            uint256 amount = bound(amounts[i], 1, cap);
            if (spentSoFar + amount > cap) {
                vm.expectRevert(
                    abi.encodeWithSelector(IFeeEscrow.EscrowCapExceeded.selector, payer, cap, spentSoFar, amount)
                );
                _collect(auth, sig, amount);
                continue;
            }
            _collect(auth, sig, amount);
            spentSoFar += amount;
        }
        assertEq(escrow.spent(payer, operator), spentSoFar);
        assertLe(spentSoFar, cap);
        uint256 paidOut = open.balanceOf(treasury) + open.balanceOf(modelOwner) + open.balanceOf(curatorPool)
            + settlement.totalFunded();
        assertEq(paidOut, spentSoFar);
    }
}
