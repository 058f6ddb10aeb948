// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {OpenToken} from "../../src/token/OpenToken.sol";
import {AttributionSettlement} from "../../src/settlement/AttributionSettlement.sol";
import {FeeEscrow} from "../../src/escrow/FeeEscrow.sol";
import {IFeeEscrow} from "../../src/interfaces/IFeeEscrow.sol";

/// @dev OPEN, a settlement contract and the escrow; one funded payer with a known key.
abstract contract EscrowTestBase is Test {
    uint64 internal constant DELAY = 1 days;

    OpenToken internal open;
    AttributionSettlement internal settlement;
    FeeEscrow internal escrow;
    address internal governance = makeAddr("timelock");
    address internal operator = makeAddr("gateway");
    address internal treasury = makeAddr("treasury");
    address internal curatorPool = makeAddr("curator pool");
    address internal modelOwner = makeAddr("model owner");
    uint256 internal payerKey = 0xA11CE;
    address internal payer = vm.addr(payerKey);

    function setUp() public virtual {
        open = new OpenToken(address(this));
        settlement = new AttributionSettlement(open, governance, address(0), address(0), 1 days);
        escrow = new FeeEscrow(open, governance, operator, treasury, curatorPool, address(settlement), _shares(), DELAY);
        open.transfer(payer, 1_000_000e18);
        vm.prank(payer);
        open.approve(address(escrow), type(uint256).max);
    }

    function _shares() internal pure returns (IFeeEscrow.FeeShares memory) {
        return
            IFeeEscrow.FeeShares({protocolBps: 1_000, modelOwnerBps: 3_000, contributorsBps: 5_000, curatorsBps: 1_000});
    }

    function _auth(uint256 cap, uint64 expiry) internal view returns (IFeeEscrow.SpendingAuthorization memory) {
        return IFeeEscrow.SpendingAuthorization({payer: payer, operator: operator, cap: cap, expiry: expiry});
    }

    function _signAuth(uint256 key, IFeeEscrow.SpendingAuthorization memory auth) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, escrow.hashAuthorization(auth));
        return abi.encodePacked(r, s, v);
    }

    function _deposit(uint256 amount) internal {
        vm.prank(payer);
        escrow.deposit(amount);
    }

    function _collect(IFeeEscrow.SpendingAuthorization memory auth, bytes memory sig, uint256 amount) internal {
        vm.prank(operator);
        escrow.collect(auth, sig, amount, modelOwner, 7);
    }
}
