// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IFeeEscrow} from "../../src/interfaces/IFeeEscrow.sol";
import {EscrowTestBase} from "./EscrowTestBase.sol";

/// @notice Whole-transaction gas (isolated: receipt gas) of deposits and collections -> snapshots/Escrow.json.
contract FeeEscrowGasTest is EscrowTestBase {
    /// forge-config: default.isolate = true
    function test_gas_depositAndCollect() public {
        _deposit(100e18);
        vm.snapshotValue("Escrow", "deposit_first_txGas", vm.lastCallGas().gasTotalUsed);
        _deposit(100e18);
        vm.snapshotValue("Escrow", "deposit_next_txGas", vm.lastCallGas().gasTotalUsed);
        IFeeEscrow.SpendingAuthorization memory auth = _auth(100e18, uint64(block.timestamp + 1 days));
        bytes memory sig = _signAuth(payerKey, auth);
        _collect(auth, sig, 1e18);
        vm.snapshotValue("Escrow", "collect_first_txGas", vm.lastCallGas().gasTotalUsed);
        _collect(auth, sig, 1e18);
        vm.snapshotValue("Escrow", "collect_next_txGas", vm.lastCallGas().gasTotalUsed);
        assertEq(escrow.spent(payer, operator), 2e18);
    }
}
