// Package access decides what a link or a token lets its holder do on a
// board: a board's name is its edit capability; a view link ("v." and the
// name sealed under the service's secret) shows the board and cannot draw
// or be turned back into the name; an embed token (claims signed with a
// key derived from the same secret) grants view or draw on one board until
// it expires, under a name the host site chose. Every replica of a service
// must share the secret; where it comes from (a setting, the data
// directory, Redis) is the caller's choice (NewLinks).
package access
