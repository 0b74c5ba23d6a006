module pinhole

go 1.26
