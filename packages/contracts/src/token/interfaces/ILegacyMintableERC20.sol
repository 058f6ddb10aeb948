// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title ILegacyMintableERC20
/// @notice The pre-Bedrock interface of an L2 bridged token, still checked by the Standard Bridge.
/// @dev The ERC-165 id is `l1Token() ^ mint(address,uint256) ^ burn(address,uint256)`.
interface ILegacyMintableERC20 is IERC165 {
    /// @notice The L1 token this token represents.
    function l1Token() external view returns (address);

    /// @notice Mints `amount` to `to`. Only the bridge.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` from `from`. Only the bridge.
    function burn(address from, uint256 amount) external;
}
