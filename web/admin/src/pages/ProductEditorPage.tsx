export function ProductEditorPage() {
  return <h1>ProductEditor</h1>;
}
