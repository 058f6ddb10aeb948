// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {DatanetStaking} from "./DatanetStaking.sol";

/// @title DatanetContributions
/// @notice Batch submissions (direct or relayed with an EIP-712 signature) and their curation.
/// @dev A submission writes two storage slots plus a quarter of an index slot whatever the batch size;
/// the URI is only emitted.
abstract contract DatanetContributions is DatanetStaking, EIP712Upgradeable, NoncesUpgradeable {
    bytes32 public constant CONTRIBUTE_TYPEHASH = keccak256(
        "Contribute(uint256 datanetId,bytes32 batchRoot,uint32 recordCount,string uri,address contributor,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IDatanetRegistry
    function submitContribution(uint256 datanetId, bytes32 batchRoot, uint32 recordCount, string calldata uri)
        external
        returns (uint256 contributionId)
    {
        return _submit(datanetId, batchRoot, recordCount, uri, msg.sender);
    }

    /// @inheritdoc IDatanetRegistry
    /// @dev The signature may come from an EOA or an ERC-1271 wallet; each nonce is usable once.
    function submitContributionFor(
        uint256 datanetId,
        bytes32 batchRoot,
        uint32 recordCount,
        string calldata uri,
        address contributor,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 contributionId) {
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp > deadline) revert DatanetSignatureExpired(deadline);
        bytes32 digest =
            _hashContribution(datanetId, batchRoot, recordCount, uri, contributor, _useNonce(contributor), deadline);
        if (!SignatureChecker.isValidSignatureNow(contributor, digest, signature)) {
            revert DatanetInvalidSignature(contributor);
        }
        return _submit(datanetId, batchRoot, recordCount, uri, contributor);
    }

    /// @inheritdoc IDatanetRegistry
    /// @dev A weight of 0 means the record count.
    function acceptContribution(uint256 contributionId, uint96 weight) external {
        (StoredContribution storage c, uint256 datanetId) = _review(contributionId, ContributionStatus.Pending, false);
        uint96 w = weight == 0 ? uint96(c.recordCount) : weight;
        c.status = uint8(ContributionStatus.Accepted);
        c.weight = w;
        emit ContributionAccepted(contributionId, datanetId, msg.sender, w);
    }

    /// @inheritdoc IDatanetRegistry
    function rejectContribution(uint256 contributionId, bool malicious, string calldata reason) external {
        (StoredContribution storage c, uint256 datanetId) = _review(contributionId, ContributionStatus.Pending, false);
        c.status = uint8(ContributionStatus.Rejected);
        emit ContributionRejected(contributionId, datanetId, msg.sender, malicious, reason);
        if (malicious) _slashMalicious(datanetId, c.contributor, msg.sender);
    }

    /// @inheritdoc IDatanetRegistry
    function revokeContribution(uint256 contributionId, bool malicious, string calldata reason) external {
        (StoredContribution storage c, uint256 datanetId) = _review(contributionId, ContributionStatus.Accepted, true);
        c.status = uint8(ContributionStatus.Revoked);
        emit ContributionRevoked(contributionId, datanetId, msg.sender, reason);
        if (malicious) _slashMalicious(datanetId, c.contributor, msg.sender);
    }

    /// @inheritdoc IDatanetRegistry
    function hashContribution(
        uint256 datanetId,
        bytes32 batchRoot,
        uint32 recordCount,
        string calldata uri,
        address contributor,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32) {
        return _hashContribution(datanetId, batchRoot, recordCount, uri, contributor, nonce, deadline);
    }

    /// @inheritdoc IDatanetRegistry
    function nonces(address owner) public view override(IDatanetRegistry, NoncesUpgradeable) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev The status a stored contribution is in (stored 0 is Pending once it exists).
    function _statusOf(StoredContribution storage c) internal view returns (ContributionStatus) {
        if (c.contributor == address(0)) return ContributionStatus.None;
        return c.status == 0 ? ContributionStatus.Pending : ContributionStatus(c.status);
    }

    function _submit(uint256 datanetId, bytes32 batchRoot, uint32 recordCount, string calldata uri, address contributor)
        private
        returns (uint256 contributionId)
    {
        if (batchRoot == bytes32(0) || recordCount == 0) revert DatanetInvalidInput();
        DatanetRegistryStorage storage $ = _getDatanetRegistryStorage();
        StoredDatanet storage d = _datanet(datanetId);
        uint256 staked = $.stakes[datanetId][contributor].amount;
        if (staked < d.minStake) revert DatanetInsufficientStake(datanetId, contributor, staked, d.minStake);
        contributionId = $.nextContributionId++; // the packed index below holds ids up to 2^64 - 1
        uint64 index = d.contributionCount++;
        $.contributions[contributionId] = StoredContribution({
            contributor: contributor,
            // casting is safe: datanet ids fit 32 bits (createDatanet checks), timestamps fit until 2106
            // forge-lint: disable-next-line(unsafe-typecast)
            datanetId: uint32(datanetId),
            recordCount: recordCount,
            submittedAt: uint32(block.timestamp),
            batchRoot: batchRoot,
            status: 0,
            weight: 0
        });
        $.datanetContributions[datanetId][index >> 2] |= contributionId << ((index & 3) << 6);
        emit ContributionSubmitted(contributionId, datanetId, contributor, batchRoot, recordCount, uri);
    }

    /// @dev Loads a contribution in `status` whose datanet the caller curates (or, with
    /// `governanceAllowed`, governs). Curators never review their own contributions.
    function _review(uint256 contributionId, ContributionStatus status, bool governanceAllowed)
        private
        view
        returns (StoredContribution storage c, uint256 datanetId)
    {
        c = _getDatanetRegistryStorage().contributions[contributionId];
        ContributionStatus current = _statusOf(c);
        if (current == ContributionStatus.None) revert DatanetUnknownContribution(contributionId);
        if (current != status) revert DatanetInvalidStatus(contributionId, current);
        datanetId = c.datanetId;
        if (!(governanceAllowed && _isGovernance(msg.sender))) {
            _checkCurator(datanetId, msg.sender);
            if (c.contributor == msg.sender) revert DatanetSelfReview(contributionId);
        }
    }

    function _hashContribution(
        uint256 datanetId,
        bytes32 batchRoot,
        uint32 recordCount,
        string calldata uri,
        address contributor,
        uint256 nonce,
        uint256 deadline
    ) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CONTRIBUTE_TYPEHASH,
                    datanetId,
                    batchRoot,
                    recordCount,
                    keccak256(bytes(uri)),
                    contributor,
                    nonce,
                    deadline
                )
            )
        );
    }
}
