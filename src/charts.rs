//! Charts drawn with plotters, generic over `DrawingBackend`: the page draws
//! them on a canvas, the command line and the tests render them to SVG.
