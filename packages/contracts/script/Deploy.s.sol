// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {OpenToken} from "../src/token/OpenToken.sol";
import {GOpenToken} from "../src/governance/GOpenToken.sol";
import {OpenGovernor} from "../src/governance/OpenGovernor.sol";
import {OpenTimelock} from "../src/governance/OpenTimelock.sol";
import {TokenVesting} from "../src/vesting/TokenVesting.sol";
import {ITokenVesting} from "../src/vesting/interfaces/ITokenVesting.sol";
import {DeployEconomy} from "./DeployEconomy.s.sol";
import {DeploymentWriter} from "./DeploymentWriter.sol";

/// @title Deploy
/// @notice Deploys OPEN, GOPEN, Timelock, Governor, TokenVesting (+ the economy contracts), runs the
/// distribution from the config and hands every admin role to the Timelock.
/// @dev Env: PRIVATE_KEY (required), DEPLOY_CONFIG (default config/deploy.local.json),
/// DEPLOYMENTS_OUT (default deployments/<chainId>.json). Tests call {deploy} directly.
contract Deploy is DeploymentWriter, DeployEconomy {
    /// @notice Thrown if the deployer still holds OPEN not allocated to it after the distribution.
    error DeployUndistributed(uint256 remaining);

    /// @notice Everything deployed.
    struct Deployment {
        OpenToken open;
        GOpenToken gopen;
        OpenTimelock timelock;
        OpenGovernor governor;
        TokenVesting vesting;
        EconomyAddresses economy;
        uint256 tge;
        uint256 firstGrantId;
    }

    /// @notice Entry point for `forge script`.
    function run() external returns (Deployment memory d) {
        string memory json = vm.readFile(vm.envOr("DEPLOY_CONFIG", string("config/deploy.local.json")));
        DeployConfig memory c = _readConfig(json);
        uint256 key = vm.envUint("PRIVATE_KEY");
        uint256 startBlock = block.number + 1; // the first deploy transaction lands after the current block
        vm.startBroadcast(key);
        d = deploy(c, vm.addr(key));
        vm.stopBroadcast();
        string memory defaultOut = string.concat("deployments/", vm.toString(block.chainid), ".json");
        _writeDeployment(vm.envOr("DEPLOYMENTS_OUT", defaultOut), _toRecord(d, startBlock), c);
    }

    /// @notice For tests and in-process use: parses `json` and deploys with this contract as deployer.
    function deployFromJson(string calldata json) external returns (Deployment memory) {
        return deploy(_readConfig(json), address(this));
    }

    /// @notice Parses and validates a config (reverts naming the bad field).
    function readConfig(string calldata json) external view returns (DeployConfig memory) {
        return _readConfig(json);
    }

    /// @notice Deploys and distributes. `deployer` must be the account sending the calls.
    function deploy(DeployConfig memory c, address deployer) public returns (Deployment memory d) {
        d.timelock = new OpenTimelock(c.timelockDelay, new address[](0), new address[](0), deployer);
        d.open = new OpenToken(deployer);
        d.gopen = new GOpenToken(d.open);
        d.governor = new OpenGovernor(
            d.gopen,
            d.timelock,
            OpenGovernor.Params(
                c.votingDelay, c.votingPeriod, c.proposalThreshold, c.quorumPercent, c.lateQuorumExtension
            )
        );
        d.timelock.grantRole(d.timelock.PROPOSER_ROLE(), address(d.governor));
        d.timelock.grantRole(d.timelock.CANCELLER_ROLE(), address(d.governor));
        d.timelock.grantRole(d.timelock.EXECUTOR_ROLE(), address(d.governor));

        address impl = address(new TokenVesting());
        bytes memory init = abi.encodeCall(TokenVesting.initialize, (d.open, d.gopen, deployer));
        d.vesting = TokenVesting(address(new ERC1967Proxy(impl, init)));

        d.tge = c.tge == 0 ? block.timestamp : c.tge;
        d.firstGrantId = _distribute(d, c);

        d.economy = _deployEconomy(
            EconomyParams(
                address(d.open),
                address(d.gopen),
                address(d.timelock),
                address(d.governor),
                c.settler,
                c.guardian,
                deployer,
                c.json
            )
        );

        d.vesting.transferOwnership(address(d.timelock));
        d.timelock.renounceRole(d.timelock.DEFAULT_ADMIN_ROLE(), deployer);
        uint256 kept;
        for (uint256 i; i < c.allocations.length; ++i) {
            Allocation memory a = c.allocations[i];
            if (a.vestingMonths == 0 && a.beneficiary == deployer) kept += a.amount;
        }
        uint256 remaining = d.open.balanceOf(deployer);
        if (remaining != kept) revert DeployUndistributed(remaining - kept);
    }

    /// @dev Liquid allocations are transferred; the others become grants starting at TGE.
    function _distribute(Deployment memory d, DeployConfig memory c) private returns (uint256) {
        uint256 grants;
        for (uint256 i; i < c.allocations.length; ++i) {
            if (c.allocations[i].vestingMonths != 0) ++grants;
        }
        ITokenVesting.GrantParams[] memory params = new ITokenVesting.GrantParams[](grants);
        uint256 total;
        uint256 j;
        for (uint256 i; i < c.allocations.length; ++i) {
            Allocation memory a = c.allocations[i];
            if (a.vestingMonths == 0) {
                d.open.transfer(a.beneficiary, a.amount);
                continue;
            }
            params[j++] = ITokenVesting.GrantParams({
                beneficiary: a.beneficiary,
                amount: uint128(a.amount),
                start: uint48(d.tge),
                cliff: uint32(a.cliffMonths * c.monthSeconds),
                duration: uint32(a.vestingMonths * c.monthSeconds),
                revocable: a.revocable,
                bucket: bytes32(bytes(a.bucket))
            });
            total += a.amount;
        }
        d.open.approve(address(d.vesting), total);
        return d.vesting.createGrants(params);
    }

    function _toRecord(Deployment memory d, uint256 startBlock) private view returns (Record memory r) {
        r = Record({
            chainId: block.chainid,
            startBlock: startBlock,
            open: address(d.open),
            gopen: address(d.gopen),
            timelock: address(d.timelock),
            governor: address(d.governor),
            vesting: address(d.vesting),
            datanetRegistry: d.economy.datanetRegistry,
            modelRegistry: d.economy.modelRegistry,
            feeEscrow: d.economy.feeEscrow,
            attributionSettlement: d.economy.attributionSettlement,
            tge: d.tge,
            firstGrantId: d.firstGrantId
        });
    }
}
