// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleRootCalldata} from "../../src/settlement/MerkleRootCalldata.sol";

/// @notice Test-only yardstick: the classic one-shot Merkle airdrop (one immutable root, claimed flags kept
/// as one bit per leaf index, 256 to a storage word), so {AttributionSettlementGasTest} can measure it next
/// to {AttributionSettlement} on the same EVM, token and tree size. Leaves are the OpenZeppelin
/// StandardMerkleTree encoding of `(uint256 index, address account, uint256 amount)`, verified with the same
/// proof loop as the settlement ({MerkleRootCalldata}) so the comparison is of the designs. Not for deployment:
/// no funding cap, no epochs, no revocation.
contract BitmapDistributorReference {
    using SafeERC20 for IERC20;

    IERC20 public immutable token;
    bytes32 public immutable merkleRoot;
    mapping(uint256 word => uint256 bits) private _claimedBits;

    event Claimed(uint256 index, address account, uint256 amount);

    error AlreadyClaimed(uint256 index);
    error InvalidProof(uint256 index);

    constructor(IERC20 token_, bytes32 root) {
        token = token_;
        merkleRoot = root;
    }

    function isClaimed(uint256 index) external view returns (bool) {
        return _claimedBits[index >> 8] & (uint256(1) << (index & 0xff)) != 0;
    }

    function claim(uint256 index, address account, uint256 amount, bytes32[] calldata proof) external {
        uint256 word = index >> 8;
        uint256 bit = uint256(1) << (index & 0xff);
        uint256 bits = _claimedBits[word];
        if (bits & bit != 0) revert AlreadyClaimed(index);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (MerkleRootCalldata.rootOf(proof, leaf) != merkleRoot) revert InvalidProof(index);
        _claimedBits[word] = bits | bit;
        token.safeTransfer(account, amount);
        emit Claimed(index, account, amount);
    }
}
