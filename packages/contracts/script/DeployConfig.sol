// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Script} from "forge-std/Script.sol";

/// @title DeployConfigReader
/// @notice Parses and validates the deploy config JSON (see `config/deploy.local.json`).
/// @dev Amounts in the file are whole OPEN as decimal strings; they are scaled to wei here.
abstract contract DeployConfigReader is Script {
    /// @notice Thrown when the allocations do not add up to exactly the token cap.
    error DeployConfigBadTotal(uint256 total, uint256 expected);
    /// @notice Thrown when a top-level value is out of range; `path` is its JSON path.
    error DeployConfigBadField(string path);
    /// @notice Thrown when an allocation is invalid; `field` names the bad field.
    error DeployConfigBadAllocation(uint256 index, string field);

    /// @notice One line of the distribution: liquid at TGE if `vestingMonths == 0`, else a grant.
    struct Allocation {
        string bucket;
        string label;
        address beneficiary;
        uint256 amount;
        uint256 cliffMonths;
        uint256 vestingMonths;
        bool revocable;
    }

    /// @notice The whole config, with governance settings in seconds and wei.
    struct DeployConfig {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumPercent;
        uint48 lateQuorumExtension;
        uint256 timelockDelay;
        uint256 tge;
        uint256 monthSeconds;
        Allocation[] allocations;
        address settler;
        address guardian;
        string json;
    }

    uint256 internal constant TOKEN_CAP = 1_000_000_000e18;

    /// @notice Parses `json`; reverts with a named field on bad input.
    function _readConfig(string memory json) internal view returns (DeployConfig memory c) {
        c.json = json;
        c.votingDelay = uint48(_bounded(json, ".governance.votingDelay", type(uint48).max));
        c.votingPeriod = uint32(_bounded(json, ".governance.votingPeriod", type(uint32).max));
        c.proposalThreshold = vm.parseJsonUint(json, ".governance.proposalThresholdOpen") * 1e18;
        c.quorumPercent = vm.parseJsonUint(json, ".governance.quorumPercent");
        c.lateQuorumExtension = uint48(_bounded(json, ".governance.lateQuorumExtension", type(uint48).max));
        c.timelockDelay = vm.parseJsonUint(json, ".governance.timelockDelay");
        c.tge = _bounded(json, ".schedule.tge", type(uint48).max);
        c.monthSeconds = _bounded(json, ".schedule.monthSeconds", 366 days);
        if (c.monthSeconds == 0) revert DeployConfigBadField(".schedule.monthSeconds");
        c.settler = vm.parseJsonAddress(json, ".settler");
        c.guardian = vm.parseJsonAddress(json, ".guardian");

        uint256 n;
        while (vm.keyExistsJson(json, string.concat(".allocations[", vm.toString(n), "]"))) ++n;
        c.allocations = new Allocation[](n);
        uint256 total;
        for (uint256 i; i < n; ++i) {
            Allocation memory a = _readAllocation(json, string.concat(".allocations[", vm.toString(i), "]."));
            if (a.beneficiary == address(0)) revert DeployConfigBadAllocation(i, "beneficiary");
            if (a.amount == 0) revert DeployConfigBadAllocation(i, "amountOpen");
            if (bytes(a.bucket).length == 0 || bytes(a.bucket).length > 31) revert DeployConfigBadAllocation(i, "bucket");
            if (!_isPlain(a.label) || !_isPlain(a.bucket)) revert DeployConfigBadAllocation(i, "label");
            if (a.cliffMonths * c.monthSeconds > type(uint32).max) revert DeployConfigBadAllocation(i, "cliffMonths");
            if (a.vestingMonths * c.monthSeconds > type(uint32).max) revert DeployConfigBadAllocation(i, "vestingMonths");
            if (a.vestingMonths == 0 && a.cliffMonths != 0) revert DeployConfigBadAllocation(i, "cliffMonths");
            c.allocations[i] = a;
            total += a.amount;
        }
        if (total != TOKEN_CAP) revert DeployConfigBadTotal(total, TOKEN_CAP);
    }

    /// @dev Parses an unsigned integer at `path` and checks it is at most `max`.
    function _bounded(string memory json, string memory path, uint256 max) private pure returns (uint256 v) {
        v = vm.parseJsonUint(json, path);
        if (v > max) revert DeployConfigBadField(path);
    }

    /// @dev True if `s` can be embedded in JSON as is (no quote, backslash or control character).
    function _isPlain(string memory s) private pure returns (bool) {
        bytes memory b = bytes(s);
        for (uint256 i; i < b.length; ++i) {
            if (b[i] == '"' || b[i] == "\\" || uint8(b[i]) < 0x20) return false;
        }
        return true;
    }

    function _readAllocation(string memory json, string memory p) private pure returns (Allocation memory a) {
        a.bucket = vm.parseJsonString(json, string.concat(p, "bucket"));
        a.label = vm.parseJsonString(json, string.concat(p, "label"));
        a.beneficiary = vm.parseJsonAddress(json, string.concat(p, "beneficiary"));
        a.amount = vm.parseJsonUint(json, string.concat(p, "amountOpen")) * 1e18;
        a.cliffMonths = vm.parseJsonUint(json, string.concat(p, "cliffMonths"));
        a.vestingMonths = vm.parseJsonUint(json, string.concat(p, "vestingMonths"));
        a.revocable = vm.parseJsonBool(json, string.concat(p, "revocable"));
    }
}
