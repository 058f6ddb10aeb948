// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IOptimismMintableERC20} from "./interfaces/IOptimismMintableERC20.sol";
import {ILegacyMintableERC20} from "./interfaces/ILegacyMintableERC20.sol";
import {IOpenTokenErrors} from "./interfaces/IOpenTokenErrors.sol";

/// @title OpenTokenL2
/// @notice OPEN on an OP Stack L2: minted by the Standard Bridge when OPEN is deposited on L1 and
/// burnt when it is withdrawn. Only the bridge mints or burns.
/// @dev Advertises both {IOptimismMintableERC20} and {ILegacyMintableERC20} through ERC-165, as
/// the bridge checks. The L1 cap is enforced here too, as a second line of defence.
contract OpenTokenL2 is ERC20, ERC20Permit, IOptimismMintableERC20, ILegacyMintableERC20, IOpenTokenErrors {
    /// @notice The hard cap, identical to the L1 token's.
    uint256 public constant CAP = 1_000_000_000e18;

    address private immutable _remoteToken;
    address private immutable _bridge;

    /// @param bridge_ The L2 Standard Bridge (predeploy 0x4200000000000000000000000000000000000010).
    /// @param remoteToken_ The OPEN token on L1.
    constructor(address bridge_, address remoteToken_) ERC20("OpenLedger", "OPEN") ERC20Permit("OpenLedger") {
        if (bridge_ == address(0) || remoteToken_ == address(0)) revert OpenTokenZeroAddress();
        _bridge = bridge_;
        _remoteToken = remoteToken_;
    }

    modifier onlyBridge() {
        if (msg.sender != _bridge) revert OpenTokenOnlyBridge(msg.sender);
        _;
    }

    /// @inheritdoc IOptimismMintableERC20
    /// @dev Emits a {Mint} and a {Transfer} event. Reverts past the cap.
    function mint(address to, uint256 amount)
        external
        override(IOptimismMintableERC20, ILegacyMintableERC20)
        onlyBridge
    {
        uint256 supplyAfter = totalSupply() + amount;
        if (supplyAfter > CAP) revert OpenTokenCapExceeded(CAP, supplyAfter);
        _mint(to, amount);
        emit Mint(to, amount);
    }

    /// @inheritdoc IOptimismMintableERC20
    /// @dev Emits a {Burn} and a {Transfer} event. The bridge needs no allowance, as in the OP Stack.
    function burn(address from, uint256 amount)
        external
        override(IOptimismMintableERC20, ILegacyMintableERC20)
        onlyBridge
    {
        _burn(from, amount);
        emit Burn(from, amount);
    }

    /// @inheritdoc IOptimismMintableERC20
    function remoteToken() external view returns (address) {
        return _remoteToken;
    }

    /// @inheritdoc IOptimismMintableERC20
    function bridge() external view returns (address) {
        return _bridge;
    }

    /// @inheritdoc ILegacyMintableERC20
    function l1Token() external view returns (address) {
        return _remoteToken;
    }

    /// @notice Legacy getter for the bridge.
    function l2Bridge() external view returns (address) {
        return _bridge;
    }

    /// @notice ERC-165: IERC165, IOptimismMintableERC20 and ILegacyMintableERC20.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId
            || interfaceId == type(IOptimismMintableERC20).interfaceId
            || interfaceId == type(ILegacyMintableERC20).interfaceId;
    }
}
