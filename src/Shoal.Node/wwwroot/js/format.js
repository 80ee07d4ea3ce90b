/** How numbers from the API read on screen: binary units, short durations, one-decimal percentages. */

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(count) {
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export const rate = perSecond => (perSecond > 0 ? `${bytes(perSecond)}/s` : '–');

export const percent = fraction => `${(Math.floor(fraction * 1000) / 10).toFixed(1)}%`;

export function eta(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d ${Math.floor((seconds % 86400) / 3600)}h`;
}

export const stateLabel = state => state.charAt(0).toUpperCase() + state.slice(1);
