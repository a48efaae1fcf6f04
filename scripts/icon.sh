#!/usr/bin/env bash
# scripts/icon.sh — draws heapsim's icon: assets/heapsim.svg and assets/heapsim.png (256x256).
# Owns: the icon's shapes (one list for both files); needs ImageMagick's convert. Run by hand, commit the output.
set -euo pipefail
A=$(cd "$(dirname "${BASH_SOURCE[0]}")/../assets" && pwd)
# A heap of chunks growing up to the break (dashed yellow line, arrow up),
# and one mmapped chunk apart; colours are the window's (render/theme.c).
# kind x y w h colour
SHAPES=(
  "bg    8   8 240 240 #1f2933"
  "rect 40 188 112  36 #0072B2"
  "rect 40 160 112  24 #56B4E9"
  "rect 40 124 112  32 #0072B2"
  "rect 40 104 112  16 #009E73"
  "rect 40  76 112  24 #E69F00"
  "rect 40  52 112  20 #cfcfcf"
  "brk  32  44 128   0 #F0E442"
  "rect 172 52  48  96 #D55E00"
  "hole 172 160 48  64 #D55E00"
)
svg=$A/heapsim.svg.tmp
draw=()
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<!-- heapsim icon: a heap of chunks up to the break, one mmapped chunk apart. Made by scripts/icon.sh. -->'
  echo '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
  for s in "${SHAPES[@]}"; do
    read -r kind x y w h c <<<"$s"
    x2=$((x + w)); y2=$((y + h))
    case $kind in
      bg)   echo "  <rect x=\"$x\" y=\"$y\" width=\"$w\" height=\"$h\" rx=\"36\" fill=\"$c\"/>"
            draw+=(-fill "$c" -stroke none -draw "roundrectangle $x,$y $((x2 - 1)),$((y2 - 1)) 36,36") ;;
      rect) echo "  <rect x=\"$x\" y=\"$y\" width=\"$w\" height=\"$h\" rx=\"4\" fill=\"$c\"/>"
            draw+=(-fill "$c" -stroke none -draw "roundrectangle $x,$y $((x2 - 1)),$((y2 - 1)) 4,4") ;;
      hole) echo "  <rect x=\"$x\" y=\"$y\" width=\"$w\" height=\"$h\" rx=\"4\" fill=\"none\" stroke=\"$c\" stroke-width=\"4\" stroke-dasharray=\"8 6\"/>"
            draw+=(-fill none -stroke "$c" -strokewidth 4 -draw "stroke-dasharray 8 6 roundrectangle $x,$y $((x2 - 1)),$((y2 - 1)) 4,4") ;;
      brk)  mid=$((x + w / 2))
            echo "  <line x1=\"$x\" y1=\"$y\" x2=\"$x2\" y2=\"$y\" stroke=\"$c\" stroke-width=\"5\" stroke-dasharray=\"10 6\"/>"
            echo "  <path d=\"M$mid $((y - 16)) L$((mid - 12)) $((y - 4)) L$((mid + 12)) $((y - 4)) Z\" fill=\"$c\"/>"
            draw+=(-fill none -stroke "$c" -strokewidth 5 -draw "stroke-dasharray 10 6 line $x,$y $x2,$y")
            draw+=(-fill "$c" -stroke none -draw "polygon $mid,$((y - 16)) $((mid - 12)),$((y - 4)) $((mid + 12)),$((y - 4))") ;;
    esac
  done
  echo '</svg>'
} >"$svg"
convert -size 256x256 xc:none "${draw[@]}" -strip "PNG32:$A/heapsim.png.tmp"
mv "$svg" "$A/heapsim.svg"
mv "$A/heapsim.png.tmp" "$A/heapsim.png"
echo "wrote $A/heapsim.svg and $A/heapsim.png"
