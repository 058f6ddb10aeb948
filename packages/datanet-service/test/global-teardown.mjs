export default async function globalTeardown() {
  await globalThis.__datanetChain?.stop();
}
