// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {FeeEscrow} from "../../src/escrow/FeeEscrow.sol";
import {IFeeEscrow} from "../../src/interfaces/IFeeEscrow.sol";
import {EscrowTestBase} from "./EscrowTestBase.sol";

/// @dev Payers deposit, sign caps (higher or lower), request and make withdrawals; the operator tries to
/// collect arbitrary amounts under any signature it holds.
contract EscrowHandler is Test {
    OpenToken internal immutable open;
    FeeEscrow internal immutable escrow;
    address internal immutable operator;
    uint256[2] internal keys = [uint256(0xA1), 0xA2];

    mapping(address => uint256) public ghostMaxCapSigned;
    mapping(address => uint256) public ghostDeposited;
    mapping(address => uint256) public ghostWithdrawn;
    mapping(address => IFeeEscrow.SpendingAuthorization) internal lastAuth;
    mapping(address => bytes) internal lastSig;

    constructor(OpenToken o, FeeEscrow e, address op) {
        (open, escrow, operator) = (o, e, op);
    }

    function payer(uint256 i) public view returns (address) {
        return vm.addr(keys[i % 2]);
    }

    function deposit(uint256 i, uint256 amount) external {
        address p = payer(i);
        amount = bound(amount, 1, 1_000e18);
        vm.prank(p);
        escrow.deposit(amount);
        ghostDeposited[p] += amount;
    }

    function sign(uint256 i, uint256 cap, uint32 ttl) external {
        address p = payer(i);
        cap = bound(cap, 0, 3_000e18);
        IFeeEscrow.SpendingAuthorization memory auth = IFeeEscrow.SpendingAuthorization({
            payer: p, operator: operator, cap: cap, expiry: uint64(block.timestamp + bound(ttl, 0, 3 days))
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i % 2], escrow.hashAuthorization(auth));
        lastAuth[p] = auth;
        lastSig[p] = abi.encodePacked(r, s, v);
        if (cap > ghostMaxCapSigned[p]) ghostMaxCapSigned[p] = cap;
    }

    function collect(uint256 i, uint256 amount, uint64 epoch) external {
        address p = payer(i);
        if (lastSig[p].length == 0) return;
        vm.prank(operator);
        try escrow.collect(lastAuth[p], lastSig[p], bound(amount, 0, 4_000e18), address(0xBEEF), epoch) {} catch {}
    }

    function requestWithdrawal(uint256 i, uint256 amount) external {
        address p = payer(i);
        vm.prank(p);
        try escrow.requestWithdrawal(bound(amount, 0, 2_000e18)) {} catch {}
    }

    function withdraw(uint256 i) external {
        address p = payer(i);
        uint256 before = open.balanceOf(p);
        vm.prank(p);
        try escrow.withdraw() {
            ghostWithdrawn[p] += open.balanceOf(p) - before;
        } catch {}
    }

    function warp(uint32 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, 2 days));
    }
}

contract FeeEscrowInvariantTest is EscrowTestBase {
    EscrowHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new EscrowHandler(open, escrow, operator);
        for (uint256 i; i < 2; ++i) {
            address p = handler.payer(i);
            open.transfer(p, 1_000_000e18);
            vm.prank(p);
            open.approve(address(escrow), type(uint256).max);
        }
        targetContract(address(handler));
    }

    /// @dev The escrow never moves more than a caller signed: what the operator spent is within the highest
    /// cap that payer ever signed, and every wei that left a payer's balance was spent or withdrawn.
    function invariant_neverMovesMoreThanSigned() public view {
        uint256 balances;
        for (uint256 i; i < 2; ++i) {
            address p = handler.payer(i);
            uint256 spent = escrow.spent(p, operator);
            assertLe(spent, handler.ghostMaxCapSigned(p));
            assertEq(escrow.balanceOf(p) + spent + handler.ghostWithdrawn(p), handler.ghostDeposited(p));
            balances += escrow.balanceOf(p);
        }
        assertEq(open.balanceOf(address(escrow)), balances);
    }

    /// @dev The handler's paths really collect and withdraw (so the invariant is not vacuous).
    function test_handler_pathsMoveTokens() public {
        handler.deposit(0, 500e18);
        handler.sign(0, 100e18, 1 days);
        handler.collect(0, 60e18, 1);
        handler.collect(0, 60e18, 1); // over the cap: refused
        handler.requestWithdrawal(0, 400e18);
        handler.warp(1 days);
        handler.withdraw(0);
        assertEq(escrow.spent(handler.payer(0), operator), 60e18);
        assertEq(handler.ghostWithdrawn(handler.payer(0)), 400e18);
        invariant_neverMovesMoreThanSigned();
    }
}
