// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title IOptimismMintableERC20
/// @notice The interface the OP Stack Standard Bridge expects from an L2 representation of an L1 token.
/// @dev The ERC-165 id is the XOR of the four selectors below. Written from the OP Stack specification.
interface IOptimismMintableERC20 is IERC165 {
    /// @notice The token on the other chain that this token represents.
    function remoteToken() external view returns (address);

    /// @notice The bridge allowed to mint and burn this token.
    function bridge() external view returns (address);

    /// @notice Mints `amount` to `to`. Only the bridge.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` from `from`. Only the bridge.
    function burn(address from, uint256 amount) external;
}
