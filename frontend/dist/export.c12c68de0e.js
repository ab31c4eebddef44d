import{d as a,e as b,f as c,g as d}from"./chunk.0c96ad8102.js";import"./chunk.adc7917710.js";export{d as download,c as exportPNG,b as exportSVG,a as svgStrokes};
