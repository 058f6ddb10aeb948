// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ITokenVesting
/// @notice Grants of OPEN that vest linearly after an optional cliff, released by anyone to their
/// beneficiary, revocable (unvested part only) by the owner (the Timelock) when marked revocable.
interface ITokenVesting {
    /// @notice A grant as created. Times are unix seconds; `cliff` and `duration` are lengths.
    /// Nothing vests before `start + cliff`; then `amount` vests linearly over `duration`.
    struct GrantParams {
        address beneficiary;
        uint128 amount;
        uint48 start;
        uint32 cliff;
        uint32 duration;
        bool revocable;
        bytes32 bucket;
    }

    /// @notice A grant's state.
    /// @param escrow The per-grant vote escrow holding its unreleased tokens as GOPEN, or zero.
    /// @param revokedAt When it was revoked (0 = not revoked); `amount` is then the vested part.
    struct Grant {
        address beneficiary;
        uint48 start;
        uint32 cliff;
        bool revocable;
        uint32 duration;
        uint48 revokedAt;
        address escrow;
        uint128 amount;
        uint128 released;
        bytes32 bucket;
    }

    /// @notice Thrown when a grant id does not exist.
    error VestingUnknownGrant(uint256 grantId);
    /// @notice Thrown when a grant parameter is invalid (zero beneficiary, zero amount or duration).
    error VestingInvalidGrant(uint256 index);
    /// @notice Thrown when a release would transfer nothing.
    error VestingNothingToRelease(uint256 grantId);
    /// @notice Thrown when revoking a grant that is not revocable or already revoked.
    error VestingNotRevocable(uint256 grantId);
    /// @notice Thrown when someone other than the beneficiary acts on a grant's votes.
    error VestingOnlyBeneficiary(uint256 grantId, address caller);
    /// @notice Thrown when delegating the votes of a revocable grant (see {delegate}).
    error VestingDelegationNotAllowed(uint256 grantId);
    /// @notice Thrown when an address argument is zero.
    error VestingZeroAddress();

    /// @notice Emitted when a grant is created and funded.
    event GrantCreated(
        uint256 indexed grantId,
        address indexed beneficiary,
        bytes32 indexed bucket,
        uint256 amount,
        uint48 start,
        uint32 cliff,
        uint32 duration,
        bool revocable
    );
    /// @notice Emitted when vested tokens are released to the beneficiary.
    event Released(uint256 indexed grantId, address indexed beneficiary, uint256 amount);
    /// @notice Emitted when the unvested part of a grant is revoked and returned to the owner.
    event Revoked(uint256 indexed grantId, uint256 unvestedReturned, uint256 vestedKept);
    /// @notice Emitted when a beneficiary delegates the votes of a grant's unreleased tokens.
    event GrantDelegated(uint256 indexed grantId, address indexed escrow, address indexed delegatee);

    /// @notice Creates and funds grants, pulling the total OPEN from the caller. Owner only.
    function createGrants(GrantParams[] calldata grants) external returns (uint256 firstGrantId);

    /// @notice Sends the vested, unreleased part of a grant to its beneficiary. Anyone may call.
    function release(uint256 grantId) external returns (uint256 amount);

    /// @notice Ends a revocable grant: the unvested part goes to the owner. Owner only.
    function revoke(uint256 grantId) external;

    /// @notice Delegates the votes of the grant's unreleased tokens. Beneficiary only.
    function delegate(uint256 grantId, address delegatee) external;

    /// @notice A grant's state.
    function grant(uint256 grantId) external view returns (Grant memory);

    /// @notice Number of grants ever created; ids are `0 .. grantCount()-1`.
    function grantCount() external view returns (uint256);

    /// @notice Amount of the grant vested at `timestamp`.
    function vestedAmount(uint256 grantId, uint48 timestamp) external view returns (uint256);

    /// @notice Amount the beneficiary would receive from {release} now.
    function releasable(uint256 grantId) external view returns (uint256);

    /// @notice Sum over grants of `amount - released`: OPEN (or GOPEN in escrows) still owed.
    function totalUnreleased() external view returns (uint256);
}
