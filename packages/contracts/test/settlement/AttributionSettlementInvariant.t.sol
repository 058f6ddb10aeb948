// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {AttributionSettlement} from "../../src/settlement/AttributionSettlement.sol";

/// @dev Funds, gives OPEN away to the settlement, posts two-leaf cumulative roots (amounts may exceed
/// funding), revokes and claims against any posted root at random.
contract SettlementHandler is Test {
    struct Tree {
        address a;
        uint256 amountA;
        address b;
        uint256 amountB;
    }

    OpenToken internal immutable open;
    AttributionSettlement internal immutable settlement;
    address internal immutable settler;
    address internal immutable guardian;
    address[3] internal accounts = [address(0xA11CE), address(0xB0B), address(0xCA7)];

    uint256 public ghostFunded;
    uint256 public ghostGifted;
    uint256 public ghostPaid;
    mapping(address => uint256) public ghostPaidTo;
    /// @dev The largest cumulative amount any posted root gave each account.
    mapping(address => uint256) public ghostMaxLeaf;
    /// @dev Every posted two-leaf tree, oldest first.
    Tree[] internal trees;

    constructor(OpenToken open_, AttributionSettlement settlement_, address settler_, address guardian_) {
        open = open_;
        settlement = settlement_;
        settler = settler_;
        guardian = guardian_;
    }

    function fund(uint64 epoch, uint256 amount) external {
        amount = bound(amount, 1, 1_000e18);
        open.approve(address(settlement), amount);
        settlement.fund(epoch, amount);
        ghostFunded += amount;
    }

    /// @dev OPEN sent without fund(): it joins the balance claims draw on.
    function gift(uint256 amount) external {
        amount = bound(amount, 1, 100e18);
        assertTrue(open.transfer(address(settlement), amount));
        ghostGifted += amount;
    }

    function post(uint256 seed, uint256 addA, uint256 addB, bool wait) external {
        Tree memory t;
        t.a = accounts[seed % 3];
        t.b = accounts[(seed + 1) % 3];
        // cumulative amounts only grow, but may exceed the funding
        t.amountA = settlement.claimed(t.a) + bound(addA, 1, 2_000e18);
        t.amountB = settlement.claimed(t.b) + bound(addB, 0, 2_000e18);
        _noteLeaf(t.a, t.amountA);
        _noteLeaf(t.b, t.amountB);
        trees.push(t);
        uint64 epoch = settlement.lastPostedEpoch() + 1;
        uint256 total = settlement.totalFunded();
        vm.prank(settler);
        settlement.postRoot(epoch, _root(t), total, "ipfs://epoch");
        if (wait) vm.warp(block.timestamp + settlement.challengeWindow());
    }

    function revoke(uint256 pick) external {
        if (trees.length == 0) return;
        vm.prank(guardian);
        try settlement.revokeRoot(_root(trees[pick % trees.length])) {} catch {}
    }

    function claim(uint256 pick, bool first, address caller) external {
        if (trees.length == 0) return;
        Tree memory t = trees[pick % trees.length];
        (address account, uint256 amount, bytes32 sibling) =
            first ? (t.a, t.amountA, _leaf(t.b, t.amountB)) : (t.b, t.amountB, _leaf(t.a, t.amountA));
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = sibling;
        uint256 before = open.balanceOf(account);
        uint256 claimedBefore = settlement.claimed(account);
        vm.prank(caller);
        try settlement.claim(account, amount, proof) returns (uint256 paid) {
            assertEq(open.balanceOf(account) - before, paid);
            assertEq(paid, amount - claimedBefore);
            ghostPaid += paid;
            ghostPaidTo[account] += paid;
        } catch {}
    }

    function warp(uint32 dt) external {
        vm.warp(block.timestamp + bound(dt, 0, 2 days));
    }

    function accountAt(uint256 i) external view returns (address) {
        return accounts[i];
    }

    function _noteLeaf(address account, uint256 amount) private {
        if (amount > ghostMaxLeaf[account]) ghostMaxLeaf[account] = amount;
    }

    function _root(Tree memory t) private pure returns (bytes32) {
        return _parent(_leaf(t.a, t.amountA), _leaf(t.b, t.amountB));
    }

    function _leaf(address account, uint256 amount) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    function _parent(bytes32 a, bytes32 b) private pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}

contract AttributionSettlementInvariantTest is Test {
    OpenToken internal open;
    AttributionSettlement internal settlement;
    SettlementHandler internal handler;

    function setUp() public {
        open = new OpenToken(address(this));
        address settler = makeAddr("settler");
        address guardian = makeAddr("guardian");
        settlement = new AttributionSettlement(open, makeAddr("timelock"), settler, guardian, 1 days);
        handler = new SettlementHandler(open, settlement, settler, guardian);
        open.transfer(address(handler), 100_000_000e18);
        targetContract(address(handler));
    }

    /// @dev The handler's claim path really pays (so the invariants are not vacuous).
    function test_handler_claimPays() public {
        handler.fund(1, 500e18);
        handler.post(0, 100e18, 100e18, true);
        handler.claim(0, true, address(this));
        assertEq(handler.ghostPaid(), 100e18);
    }

    /// @dev Never pays out more than was put in (through fund() or given), and the balance accounts for
    /// every wei.
    function invariant_claimedNeverExceedsFunded() public view {
        assertEq(settlement.totalFunded(), handler.ghostFunded());
        assertLe(handler.ghostPaid(), handler.ghostFunded() + handler.ghostGifted());
        assertEq(open.balanceOf(address(settlement)), handler.ghostFunded() + handler.ghostGifted() - handler.ghostPaid());
    }

    /// @dev No double claim: each account got exactly its recorded cumulative claim, never more than the
    /// largest cumulative amount any root gave it.
    function invariant_noDoubleClaim() public view {
        uint256 sum;
        for (uint256 i; i < 3; ++i) {
            address a = handler.accountAt(i);
            assertEq(handler.ghostPaidTo(a), settlement.claimed(a));
            assertLe(settlement.claimed(a), handler.ghostMaxLeaf(a));
            sum += settlement.claimed(a);
        }
        assertEq(sum, handler.ghostPaid());
    }
}
