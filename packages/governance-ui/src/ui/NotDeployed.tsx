export function NotDeployed({ name }: { name: string }) {
  return <p className="muted">{name} is not deployed on this chain (its address in the deployment file is zero).</p>;
}
