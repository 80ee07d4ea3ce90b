/**
 * Draws the BEP 3 bitfield of verified pieces (base64) across the canvas: each column is shaded by the
 * share of its pieces that are verified, so a torrent of any size fits the width.
 */
export function drawPieces(canvas, base64, count) {
  const bits = Uint8Array.from(atob(base64 ?? ''), c => c.charCodeAt(0));
  const has = index => (bits[index >> 3] >> (7 - (index & 7))) & 1;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  const style = getComputedStyle(canvas);
  const context = canvas.getContext('2d');
  context.fillStyle = style.getPropertyValue('--missing');
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (!count) {
    canvas.setAttribute('aria-label', 'Piece map: no pieces known yet');
    return;
  }

  let verified = 0;
  for (let index = 0; index < count; index++) verified += has(index);
  context.fillStyle = style.getPropertyValue('--have');
  const columns = Math.min(canvas.width, count);
  const columnWidth = canvas.width / columns;
  for (let column = 0; column < columns; column++) {
    const first = Math.floor((column * count) / columns);
    const last = Math.max(first + 1, Math.floor(((column + 1) * count) / columns));
    let set = 0;
    for (let index = first; index < last; index++) set += has(index);
    if (set === 0) continue;
    context.globalAlpha = set / (last - first);
    context.fillRect(Math.floor(column * columnWidth), 0, Math.ceil(columnWidth), canvas.height);
  }
  context.globalAlpha = 1;
  canvas.setAttribute('aria-label', `Piece map: ${verified} of ${count} pieces verified`);
}
