// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title OpenTimelock
/// @notice The treasury and sole admin of the protocol: every parameter change and every upgrade
/// waits here for {getMinDelay} (1 week by default) after the Governor queues it.
/// @dev Roles at the end of deployment: PROPOSER and CANCELLER = the Governor, EXECUTOR = the
/// Governor, DEFAULT_ADMIN = the timelock itself (the deployer's temporary admin role is renounced).
/// The delay changes only through {updateDelay}, which only the timelock itself may call.
contract OpenTimelock is TimelockController {
    /// @param minDelay Initial delay in seconds.
    /// @param proposers Accounts granted the proposer and canceller roles.
    /// @param executors Accounts granted the executor role (`address(0)` = anyone).
    /// @param admin Optional temporary admin for setup, to be renounced; `address(0)` for none.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
